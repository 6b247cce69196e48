using FieldOps.Integration.Core.Connectors;
using FieldOps.Integration.Core.Mapping.Loading;
using FieldOps.Integration.Core.Operations;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace FieldOps.Integration.Core.Dispatch;

/// <summary>
/// Readiness: Degraded while outbox rows wait for a connector this instance does not run (not configured, so
/// nothing will ever claim them), naming the connector, the row count and the flows that write to it.
/// </summary>
/// <remarks>The store and the catalog are optional: a dispatcher composed without them (tests, the load driver) has nothing to report.</remarks>
internal sealed class UnconfiguredConnectorHealthCheck(
    IEnumerable<IConnector> connectors, IEnumerable<ConnectorKind> kinds, IOperationsStore? store = null, MappingCatalog? catalog = null) : IHealthCheck
{
    private readonly HashSet<string> _configured = connectors.Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
    private readonly Dictionary<string, ConnectorKind> _kinds = kinds.DistinctBy(k => k.Name).ToDictionary(k => k.Name, StringComparer.OrdinalIgnoreCase);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (store is null)
            return HealthCheckResult.Healthy("no operations store in this composition");
        var waiting = (await store.GetBacklogAsync(cancellationToken).ConfigureAwait(false))
            .Where(b => b.Pending > 0 && !_configured.Contains(b.Connector))
            .OrderBy(b => b.Connector, StringComparer.Ordinal)
            .ToList();
        if (waiting.Count == 0)
            return HealthCheckResult.Healthy("no rows wait for an unconfigured connector");
        var data = new Dictionary<string, object>(StringComparer.Ordinal);
        var parts = new List<string>();
        foreach (var entry in waiting)
        {
            var flows = FlowsWriting(entry.Connector);
            data[entry.Connector] = new { pending = entry.Pending, flows };
            var why = _kinds.TryGetValue(entry.Connector, out var kind)
                ? $"which is {kind.NotConfigured}"
                : "which this build does not have";
            parts.Add($"{entry.Pending} rows wait for connector '{entry.Connector}', {why}; " +
                $"flows: {(flows.Count == 0 ? "none loaded" : string.Join(", ", flows))}");
        }
        return HealthCheckResult.Degraded(string.Join("; ", parts), data: data);
    }

    private List<string> FlowsWriting(string connector) =>
        catalog?.Current?.Flows.Where(f => f.Operations.Any(o => string.Equals(o.Connector, connector, StringComparison.OrdinalIgnoreCase)))
            .Select(f => f.Name).Order(StringComparer.Ordinal).ToList() ?? [];
}
