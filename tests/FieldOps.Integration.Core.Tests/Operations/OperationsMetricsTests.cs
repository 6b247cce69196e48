using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using FieldOps.Integration.Core.Operations;
using FieldOps.Integration.Core.Outbox;
using FieldOps.Integration.Testing.Stores;
using Microsoft.Extensions.DependencyInjection;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace FieldOps.Integration.Core.Tests.Operations;

/// <summary>The metering store decorators count what the real dispatcher writes back.</summary>
public sealed class OperationsMetricsTests : IDisposable
{
    private readonly TestStore _db = new();
    private readonly WireMockServer _target = WireMockServer.Start();

    [Fact]
    public async Task Dispatch_RetryDeliveryAndDeadLetter_AreCountedByConnectorAndOutcome()
    {
        await using var harness = new OperationsHarness(_db, new Dictionary<string, string?>
        {
            ["Connectors:Http:Endpoints:things:Url"] = _target.Url + "/things/{{idempotencyKey}}",
            ["Connectors:Http:Endpoints:things:Method"] = "PUT",
        });
        var counts = new ConcurrentDictionary<string, double>();
        using var listener = OperationsMeterCounts.Listen(harness.Services.GetRequiredService<IMeterFactory>(), counts);
        _ = harness.Services.GetRequiredService<OperationsMetrics>();
        _target.Given(Request.Create().WithPath("/things/k1").UsingPut()).InScenario("s").WillSetStateTo("up")
            .RespondWith(Response.Create().WithStatusCode(503));
        _target.Given(Request.Create().WithPath("/things/k1").UsingPut()).InScenario("s").WhenStateIs("up")
            .RespondWith(Response.Create().WithStatusCode(200).WithBodyAsJson(new { id = "T-1" }));
        _target.Given(Request.Create().WithPath("/things/k2").UsingPut()).RespondWith(Response.Create().WithStatusCode(400));
        var rows = await _db.AddRowsAsync(
            new TestRow("p1", new { fields = new { }, @params = new { endpoint = "things" } }, IdempotencyKey: "k1"),
            new TestRow("p2", new { fields = new { }, @params = new { endpoint = "things" } }, IdempotencyKey: "k2"));

        await harness.StartDispatcherAsync();
        await harness.WaitForStateAsync(rows[0].Id, OutboxStates.Delivered);
        await harness.WaitForStateAsync(rows[1].Id, OutboxStates.Dead);
        // The store write-back lands a moment before the metering decorator records it: wait, bounded, for the counts.
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (DateTime.UtcNow < deadline
            && (counts.GetValueOrDefault("fieldops_operations_delivered{connector=http}") < 1
                || counts.GetValueOrDefault("fieldops_operations_dead_lettered{connector=http,outcome=Permanent}") < 1
                || counts.GetValueOrDefault("fieldops_delivery_latency_seconds_count") < 3))
        {
            await Task.Delay(20);
        }

        var seen = string.Join("; ", counts.OrderBy(c => c.Key).Select(c => $"{c.Key}={c.Value}"));
        Assert.True(counts.GetValueOrDefault("fieldops_operations_retried{connector=http,outcome=Transient}") == 1, "counted: " + seen);
        Assert.Equal(1, counts.GetValueOrDefault("fieldops_operations_delivered{connector=http}"));
        Assert.Equal(1, counts.GetValueOrDefault("fieldops_operations_dead_lettered{connector=http,outcome=Permanent}"));
        Assert.Equal(3, counts.GetValueOrDefault("fieldops_delivery_latency_seconds_count"));
    }

    public void Dispose()
    {
        _target.Stop();
        _target.Dispose();
        _db.Dispose();
    }
}
