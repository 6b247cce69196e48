using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using FieldOps.Integration.Core.Connectors;
using FieldOps.Integration.Core.Credentials;
using FieldOps.Integration.Core.Dispatch;
using FieldOps.Integration.Core.Outbox;
using FieldOps.Integration.Core.Tests.Support;
using FieldOps.Integration.Testing.Stores;
using Microsoft.Extensions.DependencyInjection;
using Polly.CircuitBreaker;
using WireMock;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Types;
using WireMock.Util;

namespace FieldOps.Integration.Core.Tests.Dispatch;

/// <summary>The dispatcher sending rows through an <see cref="IBatchConnector"/> that makes one real HTTP call per batch.</summary>
public sealed class DispatcherBatchTests : DispatcherTestBase
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
    public async Task Dispatch_NonIdempotentRowsInABatch_AreAllMarkedInFlightDurablyBeforeTheCall()
    {
        var seen = new ConcurrentQueue<string>();
        string[] keys = ["n1", "n2", "n3"];
        Target.Given(Request.Create().WithPath("/batch").UsingPost()).RespondWith(Response.Create().WithCallback(request =>
        {
            // What the store holds for each row the moment the vendor has the request (a crash now must find them in flight).
            foreach (var key in keys)
                seen.Enqueue(key + ":" + Db.ScalarAsync<string>("SELECT state FROM outbox WHERE idempotency_key = @key", new { key }).GetAwaiter().GetResult());
            return Json(200, new { results = keys.Select(Ok).ToArray() });
        }));
        var rows = await Db.AddRowsAsync(keys.Select(k => Row(k) with { Operation = OperationNames.Note }).ToArray());

        await StartBatchAsync();
        foreach (var row in rows)
            await WaitForStateAsync(row.Id, OutboxStates.Delivered);

        Assert.Equal([keys], Requests());
        Assert.Equal(["n1:in_flight", "n2:in_flight", "n3:in_flight"], seen.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Dispatch_BatchAnsweredAfterTheClientTimeout_NonIdempotentRowsAreOutcomeUnknown_CheckedAndNeverSentAgain()
    {
        string[] keys = ["n1", "n2"];
        // The target applies the notes and answers after our 1 s timeout; the effect check then finds them.
        Target.Given(Request.Create().WithPath("/batch").UsingPost())
            .RespondWith(Response.Create().WithStatusCode(200).WithBodyAsJson(new { results = keys.Select(Ok).ToArray() }).WithDelay(TimeSpan.FromSeconds(3)));
        Target.Given(Request.Create().WithPath(new WireMock.Matchers.WildcardMatcher("/batch/effect/*")).UsingGet())
            .RespondWith(Response.Create().WithStatusCode(200));
        var rows = await Db.AddRowsAsync(keys.Select(k => Row(k) with { Operation = OperationNames.Note }).ToArray());

        await StartBatchAsync(clientTimeout: TimeSpan.FromSeconds(1));
        foreach (var row in rows)
            await WaitForStateAsync(row.Id, OutboxStates.Delivered);
        await DispatcherHarness.WaitForAsync(() => Task.FromResult(Requests().Count > 0), Patience); // WireMock logs a call once answered

        Assert.Equal([keys], Requests());
        foreach (var row in rows)
        {
            var attempts = await Harness.Outbox.GetAttemptsAsync(row.Id, CancellationToken.None);
            Assert.Equal([OutcomeKind.OutcomeUnknown, OutcomeKind.Delivered], attempts.Select(a => a.Outcome));
            Assert.StartsWith("effect check: already applied", attempts[1].Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Dispatch_BatchCall_OneSpanInTheFirstRowsTraceLinkedToTheOthers_VendorCallUnderIt_EachRowItsOwnAttemptSpan()
    {
        var spans = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name is "FieldOps.Delivery" or "System.Net.Http",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
        Answer(Ok("k1"), Ok("k2"), Ok("k3"));
        var rows = await Db.AddRowsAsync(Row("k1"), Row("k2"), Row("k3"));
        var traces = new List<ActivityTraceId>();
        foreach (var row in rows)
        {
            var trace = ActivityTraceId.CreateRandom();
            traces.Add(trace);
            await Db.ScalarAsync<long>("UPDATE outbox SET trace_parent = @tp WHERE id = @id; SELECT changes()",
                new { tp = $"00-{trace.ToHexString()}-{ActivitySpanId.CreateRandom().ToHexString()}-01", id = row.Id });
        }

        await StartBatchAsync();
        foreach (var row in rows)
            await WaitForStateAsync(row.Id, OutboxStates.Delivered);

        Assert.Equal([["k1", "k2", "k3"]], Requests());
        var ours = spans.Where(s => traces.Contains(s.TraceId)).ToList();
        var batch = Assert.Single(ours, s => s.GetTagItem("fieldops.batch_size") is not null);
        Assert.Equal(traces[0], batch.TraceId);
        Assert.Equal(3, batch.GetTagItem("fieldops.batch_size"));
        Assert.Equal(traces.Skip(1), batch.Links.Select(l => l.Context.TraceId));
        var call = Assert.Single(ours, s => s.Source.Name == "System.Net.Http");
        Assert.Equal(batch.SpanId, call.ParentSpanId);
        for (var i = 0; i < rows.Count; i++)
        {
            var attempt = Assert.Single(ours, s => s.TraceId == traces[i] && s != batch && s.Source.Name == "FieldOps.Delivery");
            Assert.Equal("Delivered", attempt.GetTagItem("fieldops.outcome"));
            Assert.Equal("delivered", attempt.GetTagItem("fieldops.state"));
        }
    }

    [Fact]
    public async Task Dispatch_AuthExpiredRowsInABatch_TokenRefreshedOnce_OnlyThoseRowsSentAgainInOneCall()
    {
        RespondByCall(call => call == 1
            ? Json(200, new { results = new object[] { Ok("k1"), new { key = "k2", status = "auth", error = "EXPIRED" }, new { key = "k3", status = "auth", error = "EXPIRED" } } })
            : Json(200, new { results = new[] { Ok("k2"), Ok("k3") } }));
        var rows = await Db.AddRowsAsync(Row("k1"), Row("k2"), Row("k3"));
        var issuer = new CountingTokenEndpoint();

        await StartBatchAsync(more: services => services.AddKeyedSingleton<ITokenEndpoint>("batch:default", issuer));
        foreach (var row in rows)
            await WaitForStateAsync(row.Id, OutboxStates.Delivered);

        Assert.Equal([["k1", "k2", "k3"], ["k2", "k3"]], Requests());
        Assert.Equal(1, issuer.Calls); // one refresh for the batch, not one per rejected row
        foreach (var row in rows.Skip(1))
        {
            Assert.Equal(1, (await StatusAsync(row.Id)).Attempts);
            Assert.Equal([OutcomeKind.AuthExpired, OutcomeKind.Delivered], (await Harness.Outbox.GetAttemptsAsync(row.Id, CancellationToken.None)).Select(a => a.Outcome));
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
        await DispatcherHarness.WaitForAsync(async () => (await Harness.Outbox.GetAttemptsAsync(rows[1].Id, CancellationToken.None)).Count > 0, Patience);

        // The connector has no token endpoint: the connection is marked broken and the rejected row waits, no attempt used.
        var released = await StatusAsync(rows[1].Id);
        Assert.Equal(OutboxStates.Pending, released.State);
        Assert.Equal(0, released.Attempts);
        Assert.Contains("batch:default", Harness.Services.GetRequiredService<ConnectionStatus>().Broken.Keys);
        Assert.Equal([["k1", "k2", "k3"]], Requests());
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

    private Task StartBatchAsync(Dictionary<string, string?>? settings = null, TimeSpan? clientTimeout = null, Action<IServiceCollection>? more = null) =>
        StartAsync(settings, (services, _) =>
    {
        more?.Invoke(services);
        services.AddHttpClient(WireMockBatchConnector.ConnectorName, c =>
        {
            c.BaseAddress = new Uri(Target.Url!);
            c.Timeout = clientTimeout ?? TimeSpan.FromSeconds(30); // generous: a loaded CI machine
        });
        services.AddSingleton<IConnector, WireMockBatchConnector>();
    });

    private sealed class CountingTokenEndpoint : ITokenEndpoint
    {
        private int _calls;

        public int Calls => Volatile.Read(ref _calls);

        public string? SeedRefreshToken => null;

        public Task<TokenGrant> RequestTokenAsync(string? refreshToken, CancellationToken cancellationToken) =>
            Task.FromResult(new TokenGrant($"tok-{Interlocked.Increment(ref _calls)}", null, TimeSpan.FromHours(1), new Dictionary<string, string>()));
    }

    private static TestRow Row(string key) =>
        new("batch:" + key, new { fields = new { name = key } }, Connector: WireMockBatchConnector.ConnectorName, IdempotencyKey: key);

    private static object Ok(string key) => new { key, status = "ok", id = "T-" + key };

    private void Answer(params object[] results) =>
        Target.Given(Request.Create().WithPath("/batch").UsingPost())
            .RespondWith(Response.Create().WithStatusCode(200).WithBodyAsJson(new { results }));

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

    /// <summary>The keys each POST to <c>/batch</c> carried, in the order the target received them.</summary>
    private List<string[]> Requests() => Target.LogEntries
        .Where(e => e.RequestMessage.Method == "POST" && e.RequestMessage.Path == "/batch")
        .OrderBy(e => e.RequestMessage.DateTime)
        .Select(e => JsonDocument.Parse(e.RequestMessage.Body!).RootElement.EnumerateArray().Select(i => i.GetProperty("key").GetString()!).ToArray())
        .ToList();
}
