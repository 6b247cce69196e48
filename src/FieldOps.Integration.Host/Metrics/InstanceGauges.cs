using FieldOps.Integration.Core.Outbox;
using FieldOps.Integration.Core.Storage;

namespace FieldOps.Integration.Host.Metrics;

/// <summary>Which instance this scrape came from, and the outbox leases it holds now (several processes share one database).</summary>
internal static class InstanceGauges
{
    public static async Task WriteToAsync(PrometheusText text, InstanceIdentity instance, IOutboxStore outbox, TimeProvider time, CancellationToken cancellationToken)
    {
        KeyValuePair<string, string>[] labels = [new("instance", instance.Id)];
        text.Family("fieldops_instance_info", "gauge", "1, labelled with this process's instance id (its outbox lease owner and Quartz node).");
        text.Sample("fieldops_instance_info", labels, 1);
        try
        {
            var leases = await outbox.CountLeasesAsync(instance.Id, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
            text.Family("fieldops_instance_leases", "gauge", "Outbox rows this instance holds a live lease on now.");
            text.Sample("fieldops_instance_leases", labels, leases);
        }
        catch (System.Data.Common.DbException)
        {
            // The store gauges report fieldops_store_up 0.
        }
    }
}
