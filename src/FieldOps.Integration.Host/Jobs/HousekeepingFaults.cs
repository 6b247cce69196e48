using FieldOps.Integration.Core.Storage;

namespace FieldOps.Integration.Host.Jobs;

/// <summary>The housekeeping job's fault state, kept across runs (Quartz creates a job instance per run).</summary>
internal sealed class HousekeepingFaults(ILogger<HousekeepingJob> logger)
{
    public LoopFaults Loop { get; } = new("Housekeeping", logger);
}
