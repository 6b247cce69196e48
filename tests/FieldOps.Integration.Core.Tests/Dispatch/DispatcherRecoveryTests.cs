using FieldOps.Integration.Core.Outbox;
using FieldOps.Integration.Core.Tests.Support;
using FieldOps.Integration.Storage.Outbox;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace FieldOps.Integration.Core.Tests.Dispatch;

/// <summary>Non-idempotent operations after a crash (a row found in flight with an expired lease), and graceful shutdown.</summary>
public sealed class DispatcherRecoveryTests : DispatcherTestBase
{
    private Dictionary<string, string?> NotesSettings(bool withCheck) => new()
    {
        ["Connectors:Http:Endpoints:notes:Url"] = Target.Url + "/notes",
        ["Connectors:Http:Endpoints:notes:Method"] = "POST",
        ["Connectors:Http:Endpoints:notes:NonIdempotent"] = "true",
        ["Connectors:Http:Endpoints:notes:EffectCheckUrl"] = withCheck ? Target.Url + "/notes/by-op/{{id}}" : null,
        ["Dispatcher:ShutdownTimeout"] = "00:00:00.500",
        ["Dispatcher:LeaseDuration"] = "00:00:01",
    };

    /// <summary>A worker claimed the row, marked it in flight, called the target and died; its lease has run out.</summary>
    private async Task<string> CrashedInFlightAsync()
    {
        var rows = await Db.AddRowsAsync(Thing("note-1", "case:1", endpoint: "notes"));
        var store = new OutboxStore(Db.Connections, TimeProvider.System);
        var now = DateTimeOffset.UtcNow.AddMilliseconds(10);
        await Task.Delay(20);
        await store.ClaimAsync("http", 1, [], "crashed-worker", now, TimeSpan.FromMilliseconds(50), CancellationToken.None);
        Assert.True(await store.MarkInFlightAsync(rows[0].Id, "crashed-worker", 1, now, now, CancellationToken.None));
        await Task.Delay(100);
        return rows[0].Id;
    }

    [Fact]
    public async Task Recover_InFlightAndTheEffectIsThere_RecordsDeliveredWithoutSending()
    {
        var id = await CrashedInFlightAsync();
        Target.Given(Request.Create().WithPath($"/notes/by-op/{id}").UsingGet()).RespondWith(Response.Create().WithBodyAsJson(new { id = "N-9" }));

        await StartAsync(NotesSettings(withCheck: true));
        await WaitForStateAsync(id, OutboxStates.Delivered);

        Assert.Equal("N-9", (await StatusAsync(id)).TargetId);
        Assert.DoesNotContain(Target.LogEntries, e => e.RequestMessage.Method == "POST");
    }

    [Fact]
    public async Task Recover_InFlightAndTheEffectIsMissing_SendsOnce()
    {
        var id = await CrashedInFlightAsync();
        Target.Given(Request.Create().WithPath($"/notes/by-op/{id}").UsingGet()).RespondWith(Response.Create().WithStatusCode(404));
        Target.Given(Request.Create().WithPath("/notes").UsingPost()).RespondWith(Response.Create().WithStatusCode(201).WithBodyAsJson(new { id = "N-10" }));

        await StartAsync(NotesSettings(withCheck: true));
        await WaitForStateAsync(id, OutboxStates.Delivered);

        Assert.Single(Target.LogEntries, e => e.RequestMessage.Method == "POST");
        Assert.Equal("N-10", (await StatusAsync(id)).TargetId);
    }

    [Fact]
    public async Task Recover_InFlightWithoutAnEffectCheck_DeadLettersAsOutcomeUnknown()
    {
        var id = await CrashedInFlightAsync();

        await StartAsync(NotesSettings(withCheck: false));
        await WaitForStateAsync(id, OutboxStates.Dead);

        Assert.StartsWith("OutcomeUnknown", (await StatusAsync(id)).DeadReason, StringComparison.Ordinal);
        Assert.Empty(Target.LogEntries);
    }

    [Fact]
    public async Task Dispatch_NonIdempotentOperation_IsMarkedInFlightBeforeTheCall()
    {
        var rows = await Db.AddRowsAsync(Thing("note-2", "case:2", endpoint: "notes"));
        string? stateDuringCall = null;
        Target.Given(Request.Create().WithPath("/notes").UsingPost())
            .RespondWith(Response.Create().WithCallback(_ =>
            {
                stateDuringCall = Db.ScalarAsync<string>("SELECT state FROM outbox WHERE id = @id", new { id = rows[0].Id }).GetAwaiter().GetResult();
                return new WireMock.ResponseMessage { StatusCode = 201, BodyData = new WireMock.Util.BodyData { BodyAsString = "{\"id\":\"N-1\"}", DetectedBodyType = WireMock.Types.BodyType.String } };
            }));

        await StartAsync(NotesSettings(withCheck: true));
        await WaitForStateAsync(rows[0].Id, OutboxStates.Delivered);

        Assert.Equal(OutboxStates.InFlight, stateDuringCall);
    }

    [Fact]
    public async Task Stop_WithADeliveryInFlight_LetsItFinishAndReleasesTheRest()
    {
        var answer = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var arrived = HoldingThingsTarget(answer.Task);
        var rows = await Db.AddRowsAsync(Thing("a1", "a"), Thing("a2", "a"));

        await StartAsync(new() { ["Dispatcher:ShutdownTimeout"] = "00:00:08" });
        // The call must have reached the target: a row claimed ahead and not yet sent would go back unsent at once on stop.
        await arrived.WaitAsync(Patience);
        var stop = Harness.Dispatcher.StopAsync(CancellationToken.None);
        await Task.Delay(100);
        answer.SetResult(); // the target answers while the stop drains
        await stop;

        var attempts = await Harness.Outbox.GetAttemptsAsync(rows[0].Id, CancellationToken.None);
        Assert.True(OutboxStates.Delivered == await Harness.StateAsync(rows[0].Id), string.Join("; ", attempts.Select(a => $"{a.Outcome} {a.Message}")) + (await StatusAsync(rows[0].Id)));
        Assert.Equal(0, await Db.ScalarAsync<long>("SELECT COUNT(*) FROM outbox WHERE lease_owner IS NOT NULL"));
    }
}
