using FieldOps.Integration.Core.Connectors;
using FieldOps.Integration.Core.Operations;
using FieldOps.Integration.Core.Outbox;
using FieldOps.Integration.Testing.Stores;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace FieldOps.Integration.Core.Tests.Operations;

/// <summary>Dead letters replayed, bulk-replayed and discarded through the real dispatcher, stores and a WireMock target.</summary>
public sealed class DeadLetterServiceTests : IAsyncLifetime, IDisposable
{
    private readonly TestStore _db = new();
    private readonly WireMockServer _target = WireMockServer.Start();
    private OperationsHarness _harness = null!;

    public Task InitializeAsync()
    {
        _harness = new OperationsHarness(_db, new Dictionary<string, string?>
        {
            ["Connectors:Http:Endpoints:things:Url"] = _target.Url + "/things/{{idempotencyKey}}",
            ["Connectors:Http:Endpoints:things:Method"] = "PUT",
        });
        return Task.CompletedTask;
    }

    private static TestRow Thing(string key, string partition = "p1") =>
        new(partition, new { fields = new { name = key }, @params = new { endpoint = "things" } }, IdempotencyKey: key);

    private void Answer(string key, int status) =>
        _target.Given(Request.Create().WithPath($"/things/{key}").UsingPut())
            .RespondWith(Response.Create().WithStatusCode(status).WithBodyAsJson(status < 300
                ? new { id = "T-" + key }
                : new { error = "name is not allowed", echo = new { access_token = "sekrit-token-value" } }));

    [Fact]
    public async Task ReplayAsync_DeadLetterAfterTargetFixed_DeliversAndKeepsHistory()
    {
        Answer("k1", 400);
        var rows = await _db.AddRowsAsync(Thing("k1"));
        await _harness.StartDispatcherAsync();
        await _harness.WaitForStateAsync(rows[0].Id, OutboxStates.Dead);
        var dead = Assert.Single(await _harness.DeadLetters.ListAsync(DeadLetterFilter.All, 50, null, CancellationToken.None));
        Assert.Equal("Permanent", dead.ErrorClass);
        Assert.Contains("file 'mappings/flows/test.yaml'", dead.Reason, StringComparison.Ordinal);

        _target.Reset();
        Answer("k1", 200);
        Assert.True(await _harness.DeadLetters.ReplayAsync(rows[0].Id, CancellationToken.None));
        await _harness.WaitForStateAsync(rows[0].Id, OutboxStates.Delivered);

        var (row, life) = (await _harness.DeadLetters.ShowAsync(rows[0].Id, CancellationToken.None))!.Value;
        Assert.Equal("T-k1", row.TargetId);
        Assert.Equal([OutcomeKind.Permanent, OutcomeKind.Delivered], life.Attempts.Select(a => a.Attempt.Outcome));
        var refused = life.Attempts[0].Attempt;
        Assert.Equal(400, refused.StatusCode);
        Assert.True(refused.Duration >= TimeSpan.Zero && refused.StartedAt > DateTimeOffset.UnixEpoch);
        Assert.Contains("name is not allowed", refused.ResponseExcerpt, StringComparison.Ordinal);
        Assert.DoesNotContain("sekrit", refused.ResponseExcerpt, StringComparison.Ordinal);
        var replay = Assert.Single(life.Actions);
        Assert.Equal((OperationActions.Replay, OutboxStates.Dead), (replay.Action, replay.PreviousState));
        Assert.StartsWith("Permanent:", replay.PreviousReason, StringComparison.Ordinal);
        Assert.Single(_target.LogEntries);
        Assert.False(await _harness.DeadLetters.ReplayAsync(rows[0].Id, CancellationToken.None));
    }

    [Fact]
    public async Task ReplayMatchingAsync_FilterByConnectorClassAndTime_ReplaysOnlyMatching()
    {
        var rows = await _db.AddRowsAsync(Thing("a", "pa"), Thing("b", "pb"), Thing("c", "pc"), Thing("d", "pd"));
        await _harness.KillAsync(rows[0].Id, "Permanent", completedAt: 5_000);
        await _harness.KillAsync(rows[1].Id, "Permanent", completedAt: 9_000);
        await _harness.KillAsync(rows[2].Id, "Transient", completedAt: 5_000);
        await _harness.KillAsync(rows[3].Id, "Permanent", completedAt: 5_000);
        await _db.ScalarAsync<long>("UPDATE outbox SET connector = 'other' WHERE id = @id RETURNING 1", new { id = rows[3].Id });

        var groups = await _harness.DeadLetters.GroupAsync(DeadLetterFilter.All, CancellationToken.None);
        var httpPermanent = Assert.Single(groups, g => g.Connector == "http" && g.ErrorClass == "Permanent");
        Assert.Equal((2, 5_000, 9_000), (httpPermanent.Count, httpPermanent.FirstAt!.Value.ToUnixTimeMilliseconds(), httpPermanent.LastAt!.Value.ToUnixTimeMilliseconds()));
        Assert.Equal(3, groups.Count);

        var filter = new DeadLetterFilter(Connector: "http", ErrorClass: "Permanent", To: DateTimeOffset.FromUnixTimeMilliseconds(8_000));
        Assert.Equal([rows[0].Id], (await _harness.DeadLetters.ListAsync(filter, 50, null, CancellationToken.None)).Select(d => d.Id));
        Assert.Equal(1, await _harness.DeadLetters.ReplayMatchingAsync(filter, 100, CancellationToken.None));

        Assert.Equal(OutboxStates.Pending, await _harness.StateAsync(rows[0].Id));
        Assert.Equal([OutboxStates.Dead, OutboxStates.Dead, OutboxStates.Dead],
            [await _harness.StateAsync(rows[1].Id), await _harness.StateAsync(rows[2].Id), await _harness.StateAsync(rows[3].Id)]);
        Assert.Equal(2, await _harness.DeadLetters.ReplayMatchingAsync(new DeadLetterFilter(Connector: "http"), 100, CancellationToken.None));
        Assert.Equal(OutboxStates.Dead, await _harness.StateAsync(rows[3].Id));
    }

    [Fact]
    public async Task ReplayAsync_DeadLetterWithBlockedSuccessors_ReleasesThemBehindIt()
    {
        var rows = await _db.AddRowsAsync(Thing("k1"), Thing("k2"), Thing("other", "p2"));
        await _harness.KillAsync(rows[0].Id, "Permanent");
        await _harness.KillAsync(rows[2].Id, "Permanent");
        Assert.Equal(OutboxStates.Blocked, await _harness.StateAsync(rows[1].Id));

        Assert.True(await _harness.DeadLetters.ReplayAsync(rows[0].Id, CancellationToken.None));

        Assert.Equal([OutboxStates.Pending, OutboxStates.Pending, OutboxStates.Dead],
            [await _harness.StateAsync(rows[0].Id), await _harness.StateAsync(rows[1].Id), await _harness.StateAsync(rows[2].Id)]);
        var claimed = await _harness.Outbox.ClaimAsync("http", 10, [], "w", DateTimeOffset.UtcNow.AddSeconds(1), TimeSpan.FromMinutes(1), CancellationToken.None);
        Assert.Equal([rows[0].Id], claimed.Select(c => c.Operation.Id));
    }

    [Fact]
    public async Task DiscardAsync_DeadLetterWithBlockedSuccessors_ReleasesThemToDelivery()
    {
        Answer("k1", 400);
        Answer("k2", 200);
        Answer("k3", 200);
        var rows = await _db.AddRowsAsync(Thing("k1"), Thing("k2"), Thing("k3"));
        await _harness.StartDispatcherAsync();
        await _harness.WaitForStateAsync(rows[0].Id, OutboxStates.Dead);
        Assert.Equal(OutboxStates.Blocked, await _harness.StateAsync(rows[1].Id));
        Assert.Equal(OutboxStates.Blocked, await _harness.StateAsync(rows[2].Id));

        Assert.True(await _harness.DeadLetters.DiscardAsync(rows[0].Id, "the customer was deleted in the target", CancellationToken.None));
        await _harness.WaitForStateAsync(rows[2].Id, OutboxStates.Delivered);

        Assert.Equal(OutboxStates.Discarded, await _harness.StateAsync(rows[0].Id));
        Assert.Equal(OutboxStates.Delivered, await _harness.StateAsync(rows[1].Id));
        Assert.Equal(["/things/k1", "/things/k2", "/things/k3"], _target.LogEntries.OrderBy(e => e.RequestMessage.DateTime).Select(e => e.RequestMessage.Path));
        var life = await _harness.Operations.GetEventLifeAsync(rows[0].InboxEventId, CancellationToken.None);
        var discard = Assert.Single(life!.Actions);
        Assert.Equal(("the customer was deleted in the target", OutboxStates.Dead), (discard.Note, discard.PreviousState));
    }

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    public void Dispose()
    {
        _target.Stop();
        _target.Dispose();
        _db.Dispose();
    }
}
