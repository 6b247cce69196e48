using FieldOps.Integration.Core.Outbox;
using FieldOps.Integration.Core.Storage;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace FieldOps.Integration.Host.Health;

/// <summary>
/// Says which instance answered and what it holds: the outbox leases it has now and its Quartz node. Always
/// healthy; it is there so an admin running several processes on one database can tell them apart.
/// </summary>
internal sealed class InstanceHealthCheck(InstanceIdentity instance, IOutboxStore outbox, Jobs.SchedulerStartService schedule, TimeProvider time) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var data = new Dictionary<string, object> { ["instance"] = instance.Id };
        try
        {
            data["leases"] = await outbox.CountLeasesAsync(instance.Id, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        }
        catch (System.Data.Common.DbException)
        {
            data["leases"] = "unknown (store unreachable)";
        }
        data["quartzNode"] = schedule.Scheduler is { } scheduler
            ? await scheduler.GetSchedulerInstanceId(cancellationToken).ConfigureAwait(false)
            : "not started (waiting for the store)";
        return HealthCheckResult.Healthy($"instance {instance.Id}", data);
    }
}
