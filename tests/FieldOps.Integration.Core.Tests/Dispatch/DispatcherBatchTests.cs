using FieldOps.Integration.Core.Connectors;
using FieldOps.Integration.Core.Dispatch;
using FieldOps.Integration.Core.Outbox;
using FieldOps.Integration.Core.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Polly.CircuitBreaker;

namespace FieldOps.Integration.Core.Tests.Dispatch;

/// <summary>The dispatcher sending rows through an <see cref="IBatchConnector"/> that makes one real HTTP call per batch.</summary>
public sealed class DispatcherBatchTests : BatchDispatcherTestBase
{
    private static readonly string[] FiveKeys = ["k1", "k2", "k3", "k4", "k5"];

    [Fact]
    public async Task Dispatch_FiveRowsOnFiveKeys_GoInOneRequest_EachWrittenBackAsIfSentAlone()
    {
        Answer(FiveKeys.Select(Ok).ToArray());
        var rows = await Db.AddRowsAsync(FiveKeys.Select(k => Row(k) with { XrefSourceId = "s-" + k }).ToArray());

        await StartBatchAsync();
        foreach (var row in rows)
            await WaitForStateAsync(row.Id, OutboxStates.Delivered);

        Assert.Equal([FiveKeys], Requests());
        foreach (var row in rows)
        {
            var status = await StatusAsync(row.Id);
            Assert.Equal(1, status.Attempts);
            Assert.Equal("T-" + row.IdempotencyKey, status.TargetId);
            Assert.Equal(OutcomeKind.Delivered, Assert.Single(await Harness.Outbox.GetAttemptsAsync(row.Id, CancellationToken.None)).Outcome);
        }
        Assert.Equal("T-k3", await Db.ScalarAsync<string>("SELECT target_id FROM xref WHERE system = 'batch' AND source_id = 's-k3'"));
    }

    [Fact]
    public async Task Dispatch_PartialAnswer_WritesEachRowsOwnOutcome_RetriesOnlyTheTransientOnes()
    {
        RespondByCall(call => call == 1
            ? Json(200, new
            {
                results = new object[]
                {
                    Ok("k1"), Ok("k2"),
                    new { key = "k3", status = "transient", error = "busy" },
                    new { key = "k4", status = "transient", error = "busy" },
                    new { key = "k5", status = "permanent", error = "VALIDATION: name is too long" },
                },
            })
            : Json(200, new { results = new[] { Ok("k3"), Ok("k4") } }));
        var rows = await Db.AddRowsAsync(FiveKeys.Select(k => Row(k)).ToArray());

        await StartBatchAsync();
        await WaitForStateAsync(rows[4].Id, OutboxStates.Dead);
        foreach (var row in rows.Take(4))
            await WaitForStateAsync(row.Id, OutboxStates.Delivered);

        var requests = Requests();
        Assert.Equal(FiveKeys, requests[0]);
        Assert.Equal(["k3", "k4"], requests.Skip(1).SelectMany(r => r).Order()); // the delivered rows are never sent again
        Assert.Equal(1, (await StatusAsync(rows[0].Id)).Attempts);
        Assert.Equal(1, (await StatusAsync(rows[1].Id)).Attempts);
        foreach (var retried in rows.Skip(2).Take(2))
        {
            var attempts = await Harness.Outbox.GetAttemptsAsync(retried.Id, CancellationToken.None);
            Assert.Equal([OutcomeKind.Transient, OutcomeKind.Delivered], attempts.Select(a => a.Outcome));
            Assert.Equal("busy", attempts[0].Message);
        }
        var dead = await StatusAsync(rows[4].Id);
        Assert.Equal(1, dead.Attempts);
        Assert.Contains("VALIDATION: name is too long", dead.DeadReason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dispatch_BatchDeliveryOff_SendsEachRowInItsOwnCall()
    {
        Answer(Ok("k1"), Ok("k2"), Ok("k3"));
        var rows = await Db.AddRowsAsync(Row("k1"), Row("k2"), Row("k3"));

        await StartBatchAsync(new() { ["Dispatcher:BatchDelivery"] = "false" });
        foreach (var row in rows)
            await WaitForStateAsync(row.Id, OutboxStates.Delivered);

        var requests = Requests();
        Assert.Equal(3, requests.Count);
        Assert.All(requests, r => Assert.Single(r));
    }

    [Fact]
    public async Task Dispatch_MaxBatchSize_SplitsTheClaimIntoCallsOfThatSize()
    {
        Answer(FiveKeys.Select(Ok).ToArray());
        var rows = await Db.AddRowsAsync(FiveKeys.Select(k => Row(k)).ToArray());

        await StartBatchAsync(new() { ["Dispatcher:MaxBatchSize"] = "2" });
        foreach (var row in rows)
            await WaitForStateAsync(row.Id, OutboxStates.Delivered);

        Assert.All(Requests(), r => Assert.InRange(r.Length, 1, 2));
        Assert.Equal(FiveKeys, Requests().SelectMany(r => r).Order());
    }

    [Fact]
    public async Task Dispatch_RateLimiter_CountsOnePermitPerBatch()
    {
        Answer(FiveKeys.Select(Ok).ToArray());
        var rows = await Db.AddRowsAsync(FiveKeys.Select(k => Row(k)).ToArray());

        // One permit a minute: row by row, four of the five would wait a minute each.
        await StartBatchAsync(new() { ["Connectors:batch:RateLimit:PermitLimit"] = "1", ["Connectors:batch:RateLimit:Window"] = "00:01:00" });
        foreach (var row in rows)
            await WaitForStateAsync(row.Id, OutboxStates.Delivered);

        Assert.Equal([FiveKeys], Requests());
    }

    [Fact]
    public async Task Dispatch_FailedBatch_CountsOnceForTheBreaker()
    {
        RespondByCall(call => call == 1 ? Json(503, "unavailable") : Json(200, new { results = new[] { Ok("k1"), Ok("k2"), Ok("k3") } }));
        var rows = await Db.AddRowsAsync(Row("k1"), Row("k2"), Row("k3"));

        // Counted per row, three failures out of three would open the breaker for a minute.
        await StartBatchAsync(new()
        {
            ["Dispatcher:BreakerMinimumThroughput"] = "2",
            ["Dispatcher:BreakerFailureRatio"] = "0.6",
            ["Dispatcher:BreakerBreakDuration"] = "00:01:00",
        });
        foreach (var row in rows)
            await WaitForStateAsync(row.Id, OutboxStates.Delivered);

        Assert.Equal(["k1", "k2", "k3"], Requests()[0]);
        Assert.Equal(CircuitState.Closed, Harness.Services.GetRequiredService<ConnectorGates>()[WireMockBatchConnector.ConnectorName].BreakerState);
    }
}
