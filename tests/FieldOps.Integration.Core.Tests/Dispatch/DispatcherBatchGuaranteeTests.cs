using System.Collections.Concurrent;
using System.Diagnostics;
using FieldOps.Integration.Core.Connectors;
using FieldOps.Integration.Core.Credentials;
using FieldOps.Integration.Core.Dispatch;
using FieldOps.Integration.Core.Outbox;
using FieldOps.Integration.Core.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace FieldOps.Integration.Core.Tests.Dispatch;

/// <summary>
/// What a single delivery guarantees holds for every row of a batch: in-flight marks before the call, outcome unknown
/// on a lost answer, one token refresh, and a delivery span over the vendor call.
/// </summary>
public sealed class DispatcherBatchGuaranteeTests : BatchDispatcherTestBase
{
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
    public async Task DeliverBatch_OneRowsLeaseTakenOverBeforeTheInFlightMarks_TheCallCarriesOnlyTheRowsStillOurs()
    {
        Answer(Ok("n1"), Ok("n3"));
        string[] keys = ["n1", "n2", "n3"];
        var rows = await Db.AddRowsAsync(keys.Select(k => Row(k) with { Operation = OperationNames.Note }).ToArray());
        await StartBatchAsync(new() { ["Dispatcher:Enabled"] = "false" }); // this test claims and delivers by hand
        var now = DateTimeOffset.UtcNow;
        var mine = await Harness.Outbox.ClaimAsync([new ClaimRequest(WireMockBatchConnector.ConnectorName, 3, [])], "stalled", now, TimeSpan.FromSeconds(1),
            CancellationToken.None);
        Assert.Equal(3, mine.Count);
        // The stalled worker's leases of n1 and n3 still run (renewed before it stalled); n2's ran out, and another worker took it.
        Assert.Equal(2, await Db.ScalarAsync<long>("UPDATE outbox SET lease_until = lease_until + 600000 WHERE idempotency_key IN ('n1', 'n3'); SELECT changes()"));
        Assert.Single(await Harness.Outbox.ClaimAsync([new ClaimRequest(WireMockBatchConnector.ConnectorName, 3, [])], "other", now.AddSeconds(2),
            TimeSpan.FromMinutes(5), CancellationToken.None));

        await Harness.Services.GetRequiredService<OperationDelivery>().DeliverBatchAsync(mine, "stalled", CancellationToken.None);

        Assert.Equal([["n1", "n3"]], Requests());
        Assert.Equal(OutboxStates.Delivered, await Harness.StateAsync(rows[0].Id));
        Assert.Equal(OutboxStates.Delivered, await Harness.StateAsync(rows[2].Id));
        var stolen = await StatusAsync(rows[1].Id);
        Assert.Equal((OutboxStates.Pending, 0), (stolen.State, stolen.Attempts));
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
    public async Task Dispatch_BatchCallLongerThanTheLease_EveryRowsLeaseRenewed_NoOtherWorkerSendsThemAgain()
    {
        // The call lasts 1.7 leases: a lease renewed per call instead of per row would let the second worker claim the
        // others and send them again (a 6 s lease, renewed every 2 s with at least 3 s left, leaves room for a loaded
        // machine's stalls, as in DispatcherLeaseTests).
        Target.Given(Request.Create().WithPath("/batch").UsingPost())
            .RespondWith(Response.Create().WithStatusCode(200).WithBodyAsJson(new { results = new[] { Ok("k1"), Ok("k2"), Ok("k3") } }).WithDelay(TimeSpan.FromSeconds(10)));
        var rows = await Db.AddRowsAsync(Row("k1"), Row("k2"), Row("k3"));
        var settings = new Dictionary<string, string?> { ["Dispatcher:LeaseDuration"] = "00:00:06", ["Dispatcher:ConcurrencyPerConnector"] = "3" };

        await using var first = new DispatcherHarness(Db, settings, BatchConnector());
        await first.StartAsync();
        await DispatcherHarness.WaitForAsync(async () => await first.Outbox.CountLeasesAsync(first.Dispatcher.Owner, DateTimeOffset.UtcNow, CancellationToken.None) == 3,
            Patience);
        await using var second = new DispatcherHarness(Db, settings, BatchConnector());
        await second.StartAsync();
        foreach (var row in rows)
            await DispatcherHarness.WaitForAsync(async () => await first.StateAsync(row.Id) == OutboxStates.Delivered, TimeSpan.FromSeconds(30));

        await Task.Delay(TimeSpan.FromSeconds(1)); // WireMock logs a request once it has answered
        Assert.Equal([["k1", "k2", "k3"]], Requests());
        foreach (var row in rows)
            Assert.Single(await first.Outbox.GetAttemptsAsync(row.Id, CancellationToken.None));
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
}
