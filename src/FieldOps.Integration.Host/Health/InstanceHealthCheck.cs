using FieldOps.Integration.Core.Outbox;
using FieldOps.Integration.Core.Storage;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Quartz;

namespace FieldOps.Integration.Host.Health;

/// <summary>
/// Says which instance answered and what it holds: the outbox leases it has now and its Quartz node. Always
/// healthy; it is there so an admin running several processes on one database can tell them apart.
/// </summary>
internal sealed class InstanceHealthCheck(InstanceIdentity instance, IOutboxStore outbox, ISchedulerFactory schedulers, TimeProvider time) : IHealthCheck
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
        var scheduler = await schedulers.GetScheduler(cancellationToken).ConfigureAwait(false);
        if (scheduler is not null)
            data["quartzNode"] = await scheduler.GetSchedulerInstanceId(cancellationToken).ConfigureAwait(false);
        return HealthCheckResult.Healthy($"instance {instance.Id}", data);
    }
}
