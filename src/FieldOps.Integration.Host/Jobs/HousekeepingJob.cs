using FieldOps.Integration.Core.Housekeeping;
using Quartz;

namespace FieldOps.Integration.Host.Jobs;

/// <summary>
/// Applies retention and keeps the store bounded. One run at a time. A store that is down (or any other fault) is logged
/// once per failing streak (not per run, as Quartz would) and the next scheduled run tries again.
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
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            // A fault of another kind too: logged once (as unexpected, with its stack) rather than by Quartz at every run.
            faults.Loop.Failed(ex);
        }
    }
}
