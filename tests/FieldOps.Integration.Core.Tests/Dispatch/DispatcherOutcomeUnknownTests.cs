using FieldOps.Integration.Core.Connectors;
using FieldOps.Integration.Core.Dispatch;
using FieldOps.Integration.Core.Outbox;
using FieldOps.Integration.Core.Tests.Support;
using FieldOps.Integration.Testing.Faults;
using Microsoft.Extensions.DependencyInjection;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace FieldOps.Integration.Core.Tests.Dispatch;

/// <summary>
/// A non-idempotent create (the generic connector's endpoint without an idempotency key) whose answer is lost after the
/// target committed it: never sent again blindly. The target (WireMock) records every write; a real Kestrel front drops
/// the connection after the target answered, or the target answers after the client's timeout.
/// </summary>
public sealed class DispatcherOutcomeUnknownTests : DispatcherTestBase
{
    private const string Written = "written";

    private Dictionary<string, string?> NotesSettings(string baseUrl, bool withCheck = true) => new()
    {
        ["Connectors:Http:Endpoints:notes:Url"] = baseUrl + "/notes",
        ["Connectors:Http:Endpoints:notes:Method"] = "POST",
        ["Connectors:Http:Endpoints:notes:NonIdempotent"] = "true",
        ["Connectors:Http:Endpoints:notes:EffectCheckUrl"] = withCheck ? Target.Url + "/notes/by-op/{{id}}" : null,
    };

    /// <summary>The target creates the note once (state <c>written</c>) and the effect check finds it from then on.</summary>
    private void TargetCreatesOnce(string id)
    {
        Target.Given(Request.Create().WithPath("/notes").UsingPost()).InScenario("note").WillSetStateTo(Written)
            .RespondWith(Response.Create().WithStatusCode(201).WithBodyAsJson(new { id = "N-1" }));
        Target.Given(Request.Create().WithPath("/notes").UsingPost()).InScenario("note").WhenStateIs(Written)
            .RespondWith(Response.Create().WithStatusCode(201).WithBodyAsJson(new { id = "N-2" }));
        Target.Given(Request.Create().WithPath($"/notes/by-op/{id}").UsingGet()).AtPriority(10)
            .RespondWith(Response.Create().WithStatusCode(404));
        Target.Given(Request.Create().WithPath($"/notes/by-op/{id}").UsingGet()).InScenario("note").WhenStateIs(Written).AtPriority(1)
            .RespondWith(Response.Create().WithBodyAsJson(new { id = "N-1" }));
    }

    private int Posts => Target.LogEntries.Count(e => e.RequestMessage.Method == "POST" && e.RequestMessage.Path == "/notes");

    private async Task<IReadOnlyList<AttemptRecord>> AttemptsAsync(string id) => await Harness.Outbox.GetAttemptsAsync(id, CancellationToken.None);

    // A note row and a harness whose dispatcher does not run: the test claims and delivers by hand.
    private async Task<IReadOnlyList<NewOutboxRow>> OneNoteWithoutTheDispatcherAsync()
    {
        var rows = await Db.AddRowsAsync(Thing("note-1", "case:1", endpoint: "notes"));
        TargetCreatesOnce(rows[0].Id);
        var settings = NotesSettings(Target.Url!);
        settings["Dispatcher:Enabled"] = "false";
        await StartAsync(settings);
        return rows;
    }

    [Fact]
    public async Task Deliver_LeaseTakenOverBeforeTheInFlightMark_SendsNothingAndLeavesTheRowToItsNewOwner()
    {
        var rows = await OneNoteWithoutTheDispatcherAsync();
        var now = DateTimeOffset.UtcNow;
        var mine = Assert.Single(await Harness.Outbox.ClaimAsync([new ClaimRequest("http", 1, [])], "stalled", now, TimeSpan.FromSeconds(1), CancellationToken.None));
        // The stalled worker's lease ran out and another worker took the row before the stalled one marked it.
        Assert.Single(await Harness.Outbox.ClaimAsync([new ClaimRequest("http", 1, [])], "other", now.AddSeconds(2), TimeSpan.FromMinutes(5), CancellationToken.None));

        await Harness.Services.GetRequiredService<OperationDelivery>().DeliverAsync(mine, "stalled", CancellationToken.None);

        Assert.Equal(0, Posts);
        var status = await StatusAsync(rows[0].Id);
        Assert.Equal((OutboxStates.Pending, 0), (status.State, status.Attempts));
        Assert.Empty(await AttemptsAsync(rows[0].Id));
    }

    [Fact]
    public async Task Deliver_LeaseRunOutBeforeTheInFlightMarkButNotTakenYet_SendsNothing()
    {
        var rows = await OneNoteWithoutTheDispatcherAsync();
        // A 50 ms lease, then the worker stalls past it: any other may claim the row now.
        var mine = Assert.Single(await Harness.Outbox.ClaimAsync([new ClaimRequest("http", 1, [])], "stalled", DateTimeOffset.UtcNow,
            TimeSpan.FromMilliseconds(50), CancellationToken.None));
        await Task.Delay(200);

        await Harness.Services.GetRequiredService<OperationDelivery>().DeliverAsync(mine, "stalled", CancellationToken.None);

        Assert.Equal(0, Posts);
        Assert.Equal((OutboxStates.Pending, 0), ((await StatusAsync(rows[0].Id)).State, (await StatusAsync(rows[0].Id)).Attempts));
    }

    [Fact]
    public async Task Deliver_ConnectionDroppedAfterTheTargetCommitted_ChecksAndRecordsDeliveredWithoutASecondPost()
    {
        var rows = await Db.AddRowsAsync(Thing("note-1", "case:1", endpoint: "notes"));
        TargetCreatesOnce(rows[0].Id);
        await using var front = await CommitThenAbortFront.StartAsync(Target.Url!, "POST", "/notes");

        await StartAsync(NotesSettings(front.Url));
        await WaitForStateAsync(rows[0].Id, OutboxStates.Delivered);

        var attempts = await AttemptsAsync(rows[0].Id);
        Assert.True(Posts == 1, string.Join("; ", attempts.Select(a => $"{a.Attempt} {a.Outcome} {a.Message}")));
        Assert.Equal(1, front.Aborted);
        Assert.True("N-1" == (await StatusAsync(rows[0].Id)).TargetId, string.Join("; ", attempts.Select(a => $"{a.Attempt} {a.Outcome} {a.Message}")));
        Assert.Equal([OutcomeKind.OutcomeUnknown, OutcomeKind.Delivered], attempts.Select(a => a.Outcome));
        Assert.Equal([1, 1], attempts.Select(a => a.Attempt));
        Assert.StartsWith("effect check: already applied", attempts[1].Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deliver_TargetAnswersAfterTheClientTimeout_ChecksAndRecordsDeliveredWithoutASecondPost()
    {
        var rows = await Db.AddRowsAsync(Thing("note-2", "case:2", endpoint: "notes"));
        // WireMock holds a scenario's requests while one is delayed, so this target is stateless: the note is found.
        Target.Given(Request.Create().WithPath("/notes").UsingPost())
            .RespondWith(Response.Create().WithStatusCode(201).WithBodyAsJson(new { id = "N-1" }).WithDelay(TimeSpan.FromSeconds(3)));
        Target.Given(Request.Create().WithPath($"/notes/by-op/{rows[0].Id}").UsingGet()).RespondWith(Response.Create().WithBodyAsJson(new { id = "N-1" }));

        var settings = NotesSettings(Target.Url!);
        settings["Connectors:Http:Timeout"] = "00:00:01";
        await StartAsync(settings);
        await WaitForStateAsync(rows[0].Id, OutboxStates.Delivered);
        await DispatcherHarness.WaitForAsync(() => Task.FromResult(Posts > 0), Patience); // WireMock logs a call when it has answered

        Assert.Equal(1, Posts);
        Assert.Equal("N-1", (await StatusAsync(rows[0].Id)).TargetId);
        Assert.Equal([OutcomeKind.OutcomeUnknown, OutcomeKind.Delivered], (await AttemptsAsync(rows[0].Id)).Select(a => a.Outcome));
    }

    [Fact]
    public async Task Deliver_EffectCheckFailsOnce_IsRetriedAndStillSendsNothingTwice()
    {
        var rows = await Db.AddRowsAsync(Thing("note-3", "case:3", endpoint: "notes"));
        TargetCreatesOnce(rows[0].Id);
        Target.Given(Request.Create().WithPath($"/notes/by-op/{rows[0].Id}").UsingGet()).InScenario("check").WillSetStateTo("recovered").AtPriority(0)
            .RespondWith(Response.Create().WithStatusCode(500));
        await using var front = await CommitThenAbortFront.StartAsync(Target.Url!, "POST", "/notes");

        await StartAsync(NotesSettings(front.Url));
        await WaitForStateAsync(rows[0].Id, OutboxStates.Delivered);

        Assert.Equal(1, Posts);
        var attempts = await AttemptsAsync(rows[0].Id);
        Assert.Equal([OutcomeKind.OutcomeUnknown, OutcomeKind.OutcomeUnknown, OutcomeKind.Delivered], attempts.Select(a => a.Outcome));
        Assert.StartsWith("effect check failed", attempts[1].Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deliver_A502ThatDidNotApply_ChecksThenSendsOnceMore()
    {
        var rows = await Db.AddRowsAsync(Thing("note-4", "case:4", endpoint: "notes"));
        Target.Given(Request.Create().WithPath("/notes").UsingPost()).InScenario("gw").WillSetStateTo("up")
            .RespondWith(Response.Create().WithStatusCode(502));
        Target.Given(Request.Create().WithPath("/notes").UsingPost()).InScenario("gw").WhenStateIs("up")
            .RespondWith(Response.Create().WithStatusCode(201).WithBodyAsJson(new { id = "N-4" }));
        Target.Given(Request.Create().WithPath($"/notes/by-op/{rows[0].Id}").UsingGet()).RespondWith(Response.Create().WithStatusCode(404));

        await StartAsync(NotesSettings(Target.Url!));
        await WaitForStateAsync(rows[0].Id, OutboxStates.Delivered);

        Assert.Equal(2, Posts);
        Assert.Single(Target.LogEntries, e => e.RequestMessage.Method == "GET");
        Assert.Equal([OutcomeKind.OutcomeUnknown, OutcomeKind.Delivered], (await AttemptsAsync(rows[0].Id)).Select(a => a.Outcome));
    }

    [Fact]
    public async Task Deliver_A503_IsAnOrdinaryTransientRetryWithoutACheck()
    {
        var rows = await Db.AddRowsAsync(Thing("note-5", "case:5", endpoint: "notes"));
        Target.Given(Request.Create().WithPath("/notes").UsingPost()).InScenario("busy").WillSetStateTo("free")
            .RespondWith(Response.Create().WithStatusCode(503));
        Target.Given(Request.Create().WithPath("/notes").UsingPost()).InScenario("busy").WhenStateIs("free")
            .RespondWith(Response.Create().WithStatusCode(201).WithBodyAsJson(new { id = "N-5" }));

        await StartAsync(NotesSettings(Target.Url!));
        await WaitForStateAsync(rows[0].Id, OutboxStates.Delivered);

        Assert.Equal(2, Posts);
        Assert.DoesNotContain(Target.LogEntries, e => e.RequestMessage.Method == "GET");
        Assert.Equal([OutcomeKind.Transient, OutcomeKind.Delivered], (await AttemptsAsync(rows[0].Id)).Select(a => a.Outcome));
    }

    [Fact]
    public async Task Deliver_LostAnswerWithoutAnEffectCheck_DeadLettersAsOutcomeUnknownAfterOnePost()
    {
        var rows = await Db.AddRowsAsync(Thing("note-6", "case:6", endpoint: "notes"));
        TargetCreatesOnce(rows[0].Id);
        await using var front = await CommitThenAbortFront.StartAsync(Target.Url!, "POST", "/notes");

        await StartAsync(NotesSettings(front.Url, withCheck: false));
        await WaitForStateAsync(rows[0].Id, OutboxStates.Dead);

        Assert.Equal(1, Posts);
        Assert.StartsWith("OutcomeUnknown", (await StatusAsync(rows[0].Id)).DeadReason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deliver_EffectCheckNeverAnswers_DeadLettersAsOutcomeUnknownAtTheAttemptLimit()
    {
        var rows = await Db.AddRowsAsync(Thing("note-7", "case:7", endpoint: "notes"));
        TargetCreatesOnce(rows[0].Id);
        Target.Given(Request.Create().WithPath($"/notes/by-op/{rows[0].Id}").UsingGet()).AtPriority(0).RespondWith(Response.Create().WithStatusCode(500));
        await using var front = await CommitThenAbortFront.StartAsync(Target.Url!, "POST", "/notes");
        var settings = NotesSettings(front.Url);
        settings["Dispatcher:MaxAttempts"] = "3";

        await StartAsync(settings);
        await WaitForStateAsync(rows[0].Id, OutboxStates.Dead);

        Assert.Equal(1, Posts);
        Assert.StartsWith("OutcomeUnknown", (await StatusAsync(rows[0].Id)).DeadReason, StringComparison.Ordinal);
        Assert.Equal(Enumerable.Repeat(OutcomeKind.OutcomeUnknown, 3), (await AttemptsAsync(rows[0].Id)).Select(a => a.Outcome));
    }

    [Fact]
    public void MayHaveReachedTarget_IsFalseOnlyWhenTheRequestNeverLeft()
    {
        Assert.False(TransportFaults.MayHaveReachedTarget(new HttpRequestException(HttpRequestError.ConnectionError, "refused")));
        Assert.False(TransportFaults.MayHaveReachedTarget(new HttpRequestException(HttpRequestError.NameResolutionError, "no such host")));
        Assert.True(TransportFaults.MayHaveReachedTarget(new HttpRequestException(HttpRequestError.ResponseEnded, "ended")));
        Assert.True(TransportFaults.MayHaveReachedTarget(new TaskCanceledException("timeout", new TimeoutException())));
        Assert.True(TransportFaults.MayHaveReachedTarget(new IOException("reset")));
    }
}
