using System.Text.Json;
using FieldOps.Integration.Core.Credentials;
using FieldOps.Integration.Core.Delivery;
using FieldOps.Integration.Core.Tests.Support;
using FieldOps.Integration.Testing.Stores;
using Microsoft.Extensions.DependencyInjection;
using Polly.CircuitBreaker;
using WireMock;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Types;
using WireMock.Util;

namespace FieldOps.Integration.Core.Tests.Delivery;

/// <summary>The dispatcher sending rows through an <see cref="IBatchConnector"/> that makes one real HTTP call per batch.</summary>
public sealed class DispatcherBatchTests : DispatcherTestBase
{
    private static readonly string[] FiveKeys = ["k1", "k2", "k3", "k4", "k5"];

    [Fact]
    public async Task Dispatch_FiveRowsOnFiveKeys_GoInOneRequest()
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
    public async Task Dispatch_PartialAnswer_WritesEachRowsOwnOutcome()
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
        Assert.Equal(["k3", "k4"], requests.Skip(1).SelectMany(r => r).Order());
        Assert.Equal(1, (await StatusAsync(rows[0].Id)).Attempts);
        Assert.Equal(1, (await StatusAsync(rows[1].Id)).Attempts);
        foreach (var retried in rows.Skip(2).Take(2))
        {
            Assert.Equal(2, (await StatusAsync(retried.Id)).Attempts);
            var attempts = await Harness.Outbox.GetAttemptsAsync(retried.Id, CancellationToken.None);
            Assert.Equal([OutcomeKind.Transient, OutcomeKind.Delivered], attempts.Select(a => a.Outcome));
            Assert.Equal("busy", attempts[0].Message);
        }
        var dead = await StatusAsync(rows[4].Id);
        Assert.Equal(1, dead.Attempts);
        Assert.Contains("Permanent", dead.DeadReason, StringComparison.Ordinal);
        Assert.Contains("VALIDATION: name is too long", dead.DeadReason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dispatch_BatchCallThrows_EveryRowIsTransientAndRetried()
    {
        FailFirstCallThenAnswer(Ok("k1"), Ok("k2"), Ok("k3"));
        var rows = await Db.AddRowsAsync(Row("k1"), Row("k2"), Row("k3"));

        await StartBatchAsync();
        foreach (var row in rows)
            await WaitForStateAsync(row.Id, OutboxStates.Delivered);

        Assert.Equal(["k1", "k2", "k3"], Requests()[0]);
        foreach (var row in rows)
        {
            var attempts = await Harness.Outbox.GetAttemptsAsync(row.Id, CancellationToken.None);
            Assert.Equal([OutcomeKind.Transient, OutcomeKind.Delivered], attempts.Select(a => a.Outcome));
            Assert.Contains("HttpRequestException", attempts[0].Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Dispatch_AuthRejectedRowInABatch_IsReleasedWhileTheOthersKeepTheirOutcome()
    {
        Answer(Ok("k1"), new { key = "k2", status = "auth", error = "INVALID_SESSION_ID" }, Ok("k3"));
        var rows = await Db.AddRowsAsync(Row("k1"), Row("k2"), Row("k3"));

        await StartBatchAsync();
        await WaitForStateAsync(rows[0].Id, OutboxStates.Delivered);
        await WaitForStateAsync(rows[2].Id, OutboxStates.Delivered);
        await DispatcherHarness.WaitForAsync(
            async () => (await Harness.Outbox.GetAttemptsAsync(rows[1].Id, CancellationToken.None)).Count > 0, Patience);

        // The connector has no token endpoint: the connection is marked broken and the rejected row waits, no attempt used.
        var released = await StatusAsync(rows[1].Id);
        Assert.Equal(OutboxStates.Pending, released.State);
        Assert.Equal(0, released.Attempts);
        Assert.Contains("batch:default", Harness.Services.GetRequiredService<ConnectionStatus>().Broken.Keys);
        Assert.Equal([["k1", "k2", "k3"]], Requests());
    }

    [Fact]
    public async Task Dispatch_NonIdempotentRow_IsNeverBatched()
    {
        Answer(Ok("k1"), Ok("k2"), Ok("n1"), Ok("k3"));
        var rows = await Db.AddRowsAsync(Row("k1"), Row("k2"), Row("n1") with { Operation = OperationNames.Note }, Row("k3"));

        await StartBatchAsync(new() { ["Dispatcher:BatchDelivery"] = "true" });
        foreach (var row in rows)
            await WaitForStateAsync(row.Id, OutboxStates.Delivered);

        var requests = Requests();
        Assert.Equal(2, requests.Count);
        Assert.Contains(requests, r => r.SequenceEqual(["n1"]));
        Assert.Contains(requests, r => r.SequenceEqual(["k1", "k2", "k3"]));
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
        Assert.Equal(["k1", "k2", "k3"], requests.SelectMany(r => r).Order());
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
        foreach (var row in rows)
            Assert.Equal(1, (await StatusAsync(row.Id)).Attempts);
    }

    [Fact]
    public async Task Dispatch_FailedBatch_CountsOnceForTheBreaker()
    {
        FailFirstCallThenAnswer(Ok("k1"), Ok("k2"), Ok("k3"));
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

    private Task StartBatchAsync(Dictionary<string, string?>? settings = null) => StartAsync(settings, services =>
    {
        services.AddHttpClient(WireMockBatchConnector.ConnectorName, c => c.BaseAddress = new Uri(Target.Url!));
        services.AddSingleton<IConnector, WireMockBatchConnector>();
    });

    private static TestRow Row(string key) =>
        new("batch:" + key, new { fields = new { name = key } }, Connector: WireMockBatchConnector.ConnectorName, IdempotencyKey: key);

    private static object Ok(string key) => new { key, status = "ok", id = "T-" + key };

    private void Answer(params object[] results) =>
        Target.Given(Request.Create().WithPath("/batch").UsingPost())
            .RespondWith(Response.Create().WithStatusCode(200).WithBodyAsJson(new { results }));

    private void FailFirstCallThenAnswer(params object[] results) =>
        RespondByCall(call => call == 1 ? Json(503, "unavailable") : Json(200, new { results }));

    // A call counter rather than a WireMock scenario: retries jittered apart may still arrive together.
    private void RespondByCall(Func<int, ResponseMessage> respond)
    {
        var calls = 0;
        Target.Given(Request.Create().WithPath("/batch").UsingPost())
            .RespondWith(Response.Create().WithCallback(_ => respond(Interlocked.Increment(ref calls))));
    }

    private static ResponseMessage Json(int status, object body) => new()
    {
        StatusCode = status,
        Headers = new Dictionary<string, WireMockList<string>> { ["Content-Type"] = new("application/json") },
        BodyData = new BodyData { BodyAsString = JsonSerializer.Serialize(body), DetectedBodyType = BodyType.String },
    };

    /// <summary>The keys each request to <c>/batch</c> carried, in the order the target received them.</summary>
    private List<string[]> Requests() => Target.LogEntries
        .OrderBy(e => e.RequestMessage.DateTime)
        .Select(e => JsonDocument.Parse(e.RequestMessage.Body!).RootElement.EnumerateArray().Select(i => i.GetProperty("key").GetString()!).ToArray())
        .ToList();
}
