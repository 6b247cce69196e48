using FieldOps.Integration.Core.Storage;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace FieldOps.Integration.Host.Health;

/// <summary>Ready only when the store answers and its schema is the one this build ships.</summary>
internal sealed class StoreHealthCheck(IStoreHealth store) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var problem = await store.CheckAsync(cancellationToken).ConfigureAwait(false);
        return problem is null ? HealthCheckResult.Healthy("reachable and migrated") : HealthCheckResult.Unhealthy(problem);
    }
}
