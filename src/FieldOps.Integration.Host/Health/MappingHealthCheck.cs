using FieldOps.Integration.Core.Mapping.Loading;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace FieldOps.Integration.Host.Health;

/// <summary>
/// Healthy while the mapping files in force are the files on disk; Degraded when a reload was refused (the previous
/// set keeps routing) or the set has no flow; Unhealthy (503) when no valid set is loaded or the folder holds no mapping
/// at all — nothing would be routed, so the instance is not ready — with each file and error in the data.
/// </summary>
internal sealed class MappingHealthCheck(MappingCatalog catalog) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var refused = catalog.Refused;
        var current = catalog.Current;
        if (refused.Count == 0 && current is { FlowCount: > 0 })
            return Task.FromResult(HealthCheckResult.Healthy($"{current.Summary} loaded from {catalog.Root}"));
        var data = refused
            .Select((d, i) => (Key: $"problem{i + 1}", Value: (object)d.ToString()))
            .Take(20)
            .ToDictionary(p => p.Key, p => p.Value);
        if (current is null)
            return Task.FromResult(HealthCheckResult.Unhealthy($"no valid mappings loaded from {catalog.Root}: nothing is routed", data: data));
        if (current.FlowCount == 0 && current.ProfileCount == 0)
            return Task.FromResult(HealthCheckResult.Unhealthy($"no mapping files in {catalog.Root}: nothing is routed"));
        if (refused.Count == 0)
            return Task.FromResult(HealthCheckResult.Degraded($"no flows in {catalog.Root} ({current.Summary}): events are stored but nothing is delivered"));
        var description = $"a change to the mappings was refused ({refused.Count} problem(s)); the previous set ({current.Summary}) stays in force";
        return Task.FromResult(HealthCheckResult.Degraded(description, data: data));
    }
}
