using FieldOps.Integration.Core.Housekeeping;
using FieldOps.Integration.Core.Storage;
using Quartz;

namespace FieldOps.Integration.Host.Jobs;

/// <summary>
/// Applies retention and keeps the store bounded. One run at a time. A store that is down is logged once per outage
/// (not per run, as Quartz would) and the next scheduled run tries again.
/// </summary>
[DisallowConcurrentExecution]
internal sealed class HousekeepingJob(Housekeeper housekeeper, HousekeepingFaults faults) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        try
        {
            await housekeeper.RunAsync(cancellationToken).ConfigureAwait(false);
            faults.Loop.Succeeded();
        }
        catch (Exception ex) when (LoopFaults.IsTransient(ex) && !cancellationToken.IsCancellationRequested)
        {
            faults.Loop.Failed(ex);
        }
    }
}
