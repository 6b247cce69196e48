using FieldOps.Integration.Core.Mapping.Loading;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace FieldOps.Integration.Host.Health;

/// <summary>
/// Healthy while the mapping files in force are the files on disk; Degraded when a reload was refused (the previous
/// set keeps routing) or no valid set was ever loaded — with each file and error in the data.
/// </summary>
internal sealed class MappingHealthCheck(MappingCatalog catalog) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var refused = catalog.Refused;
        var current = catalog.Current;
        if (refused.Count == 0 && current is not null)
            return Task.FromResult(HealthCheckResult.Healthy($"{current.Summary} loaded from {catalog.Root}"));
        var data = refused
            .Select((d, i) => (Key: $"problem{i + 1}", Value: (object)d.ToString()))
            .Take(20)
            .ToDictionary(p => p.Key, p => p.Value);
        var description = current is null
            ? $"no valid mappings loaded from {catalog.Root}: nothing is routed"
            : $"a change to the mappings was refused ({refused.Count} problem(s)); the previous set ({current.Summary}) stays in force";
        return Task.FromResult(HealthCheckResult.Degraded(description, data: data));
    }
}
