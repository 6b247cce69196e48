using FieldOps.Integration.Core.Housekeeping;
using Quartz;

namespace FieldOps.Integration.Host.Jobs;

/// <summary>Applies retention and keeps the store bounded. One run at a time.</summary>
[DisallowConcurrentExecution]
internal sealed class HousekeepingJob(Housekeeper housekeeper) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken) =>
        await housekeeper.RunAsync(cancellationToken).ConfigureAwait(false);
}
