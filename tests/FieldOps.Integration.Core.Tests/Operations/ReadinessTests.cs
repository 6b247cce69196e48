using FieldOps.Integration.Core.Connectors;
using FieldOps.Integration.Core.Dispatch;
using FieldOps.Integration.Testing.Stores;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace FieldOps.Integration.Core.Tests.Operations;

/// <summary>Readiness while a connector's breaker is open: Degraded (the instance still works), naming the connector.</summary>
public sealed class ReadinessTests : IDisposable
{
    private readonly TestStore _db = new();

    [Fact]
    public async Task CircuitCheck_BreakerOpen_IsDegradedNamingTheConnector()
    {
        await using var harness = new OperationsHarness(_db, new Dictionary<string, string?>
        {
            ["Dispatcher:BreakerMinimumThroughput"] = "2",
            ["Dispatcher:BreakerBreakDuration"] = "00:01:00",
        });
        var gates = harness.Services.GetRequiredService<ConnectorGates>();
        var check = new CircuitHealthCheck(gates);
        Assert.Equal(HealthStatus.Healthy, (await check.CheckHealthAsync(new HealthCheckContext())).Status);

        for (var i = 0; i < 3; i++)
        {
            try
            {
                await gates["http"].Pipeline.ExecuteAsync(_ => ValueTask.FromResult(DeliveryOutcome.Transient("503 from the target")));
            }
            catch (Polly.CircuitBreaker.BrokenCircuitException)
            {
            }
        }
        var result = await check.CheckHealthAsync(new HealthCheckContext());

        Assert.Equal(HealthStatus.Degraded, result.Status);
        Assert.Contains("http", result.Description, StringComparison.Ordinal);
        Assert.Equal("Open", result.Data["http"]);
    }

    public void Dispose() => _db.Dispose();
}
