using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace FieldOps.Integration.Core.Dispatch;

/// <summary>Readiness: Degraded while a connector's circuit breaker is open (its claims are paused).</summary>
internal sealed class CircuitHealthCheck(ConnectorGates gates) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var states = gates.All.ToDictionary(g => g.Connector, g => (object)g.BreakerState.ToString(), StringComparer.Ordinal);
        var open = gates.All.Where(g => g.BreakerState != Polly.CircuitBreaker.CircuitState.Closed).Select(g => g.Connector).Order(StringComparer.Ordinal).ToList();
        return Task.FromResult(open.Count == 0
            ? HealthCheckResult.Healthy("all circuits closed", states)
            : HealthCheckResult.Degraded($"circuit open, claims paused: {string.Join(", ", open)}", data: states));
    }
}
