using Dapper;
using FieldOps.Integration.Core.Hydration;
using FieldOps.Integration.Core.Inbox;
using FieldOps.Integration.Storage.Sources;
using FieldOps.Integration.Storage.Tests.Infrastructure;

namespace FieldOps.Integration.Storage.Tests.Sources;

/// <summary>
/// Hydration's shared state, the same for every provider: each store here has its own connection factory (its own
/// pool), as two processes on one database would.
/// </summary>
public abstract class HydrationStoreContract : IAsyncLifetime
{
    private static readonly HydrationWindow Window = new(TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(3));
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);
    private static readonly DateTimeOffset T0 = new(2026, 12, 4, 22, 0, 0, TimeSpan.Zero);
    private static readonly string[] Jobber = ["jobber"];
    private TestDatabase _database = null!;
    private HydrationStore _first = null!;
    private HydrationStore _second = null!;
    private long _dedup;

    protected abstract TestDatabase NewDatabase();

    public async Task InitializeAsync()
    {
        _database = await NewDatabase().InitializeAsync();
        _first = new HydrationStore(_database.Connections, TimeProvider.System);
        _second = new HydrationStore(_database.OpenConnections(), TimeProvider.System);
    }

    public Task DisposeAsync() => _database.DisposeAsync().AsTask();

    protected async Task Register_BurstSeenByTwoProcesses_OneEntityDueOneDebounceAfterItsLastEvent()
    {
        var ids = new List<long>();
        for (var i = 0; i < 10; i++)
            ids.Add(await AddAwaitingAsync("J-1"));

        // Each process registers what it sees; both see the first five (only one registration of each counts).
        var byFirst = await _first.RegisterAsync(Registrations(ids.Take(5), "J-1"), Window, T0, CancellationToken.None);
        var again = await _second.RegisterAsync(Registrations(ids.Take(5), "J-1"), Window, T0.AddMilliseconds(100), CancellationToken.None);
        var bySecond = await _second.RegisterAsync(Registrations(ids.Skip(5), "J-1"), Window, T0.AddMilliseconds(400), CancellationToken.None);

        Assert.Equal((5, 0, 5), (byFirst, again, bySecond));
        Assert.Empty(await _first.ListUnregisteredAsync(Jobber, 100, CancellationToken.None));
        Assert.Empty(await _first.ClaimAsync(Jobber, 10, "p1", T0.AddMilliseconds(899), Lease, CancellationToken.None));
        var claim = Assert.Single(await _second.ClaimAsync(Jobber, 10, "p2", T0.AddMilliseconds(900), Lease, CancellationToken.None));
        Assert.Equal(("jobber:Job:J-1", "p2"), (claim.EntityKey, claim.Owner));
        Assert.Equal(ids, (await _second.ListEventsAsync(claim, CancellationToken.None)).Select(e => e.Event.Id));
    }

    protected async Task Register_EventsKeepComing_EntityDueAtMostTheMaxDelayAfterItsFirst()
    {
        for (var i = 0; i < 8; i++)
        {
            var id = await AddAwaitingAsync("J-2");
            await (i % 2 == 0 ? _first : _second).RegisterAsync(Registrations([id], "J-2"), Window, T0.AddMilliseconds(400 * i), CancellationToken.None);
        }

        Assert.Empty(await _first.ClaimAsync(Jobber, 10, "p1", T0.AddMilliseconds(2999), Lease, CancellationToken.None));
        Assert.Single(await _first.ClaimAsync(Jobber, 10, "p1", T0.AddMilliseconds(3000), Lease, CancellationToken.None));
    }

    protected async Task Claim_TwoProcessesAtOnce_EveryEntityToExactlyOne()
    {
        for (var e = 0; e < 40; e++)
            await _first.RegisterAsync(Registrations([await AddAwaitingAsync($"J-{e}")], $"J-{e}"), Window, T0, CancellationToken.None);

        var now = T0.AddSeconds(1);
        var racers = Enumerable.Range(0, 8).Select(i => Task.Run(async () =>
        {
            var store = i % 2 == 0 ? _first : _second;
            var mine = new List<string>();
            for (var round = 0; round < 10; round++)
                mine.AddRange((await store.ClaimAsync(Jobber, 3, $"p{i}", now, Lease, CancellationToken.None)).Select(c => c.EntityKey));
            return mine;
        })).ToList();
        var claimed = (await Task.WhenAll(racers)).SelectMany(c => c).ToList();

        Assert.Equal(40, claimed.Count);
        Assert.Equal(40, claimed.Distinct().Count());
    }

    protected async Task Claim_LeaseOfAProcessThatDied_IsTakenOverOnceItExpiresNotBefore()
    {
        await _first.RegisterAsync(Registrations([await AddAwaitingAsync("J-3")], "J-3"), Window, T0, CancellationToken.None);
        Assert.Single(await _first.ClaimAsync(Jobber, 1, "dead", T0.AddSeconds(1), TimeSpan.FromSeconds(2), CancellationToken.None));

        var during = await _second.ClaimAsync(Jobber, 1, "survivor", T0.AddSeconds(2.9), Lease, CancellationToken.None);
        var after = await _second.ClaimAsync(Jobber, 1, "survivor", T0.AddSeconds(3.1), Lease, CancellationToken.None);

        Assert.Empty(during);
        Assert.Equal("survivor", Assert.Single(after).Owner);
    }

    protected async Task Renew_HeldLease_OutlastsItsFirstExpiry_AndReleaseAllHandsItOver()
    {
        await _first.RegisterAsync(Registrations([await AddAwaitingAsync("J-4")], "J-4"), Window, T0, CancellationToken.None);
        var claim = Assert.Single(await _first.ClaimAsync(Jobber, 1, "p1", T0.AddSeconds(1), TimeSpan.FromSeconds(2), CancellationToken.None));

        var renewed = await _first.RenewAsync("p1", [claim.EntityKey], T0.AddSeconds(2), TimeSpan.FromSeconds(2), CancellationToken.None);
        var afterFirstExpiry = await _second.ClaimAsync(Jobber, 1, "p2", T0.AddSeconds(3.5), Lease, CancellationToken.None);
        await _first.ReleaseAllAsync("p1", CancellationToken.None);
        var afterRelease = await _second.ClaimAsync(Jobber, 1, "p2", T0.AddSeconds(3.5), Lease, CancellationToken.None);

        Assert.Equal(1, renewed);
        Assert.Empty(afterFirstExpiry);
        Assert.Single(afterRelease);
    }

    protected async Task Release_FailedFetches_CountPerEventAndGiveUpEachAtItsOwnLimit()
    {
        var older = await AddAwaitingAsync("J-5");
        await _first.RegisterAsync(Registrations([older], "J-5"), Window, T0, CancellationToken.None);
        var claim = Assert.Single(await _first.ClaimAsync(Jobber, 1, "p1", T0.AddSeconds(1), Lease, CancellationToken.None));
        await _first.ReleaseAsync(claim, new HydrationRelease([older], NoReasons, T0.AddSeconds(10)), Window, CancellationToken.None);
        // A newer event joins during the backoff: it does not shorten it, and starts with no attempts of its own.
        var newer = await AddAwaitingAsync("J-5");
        await _second.RegisterAsync(Registrations([newer], "J-5"), Window, T0.AddSeconds(2), CancellationToken.None);

        Assert.Empty(await _second.ClaimAsync(Jobber, 1, "p2", T0.AddSeconds(9.9), Lease, CancellationToken.None));
        var retried = Assert.Single(await _second.ClaimAsync(Jobber, 1, "p2", T0.AddSeconds(10), Lease, CancellationToken.None));
        var events = await _second.ListEventsAsync(retried, CancellationToken.None);
        Assert.Equal([(older, 1), (newer, 0)], events.Select(e => (e.Event.Id, e.Attempts)));

        await _second.ReleaseAsync(retried, new HydrationRelease([older, newer],
            new Dictionary<long, string> { [older] = "hydration failed after 2 attempts: 500" }, T0.AddSeconds(20)), Window, CancellationToken.None);

        Assert.Equal(("unmatched", "hydration failed after 2 attempts: 500"), await StateAsync(older));
        Assert.Equal("awaiting_hydration", (await StateAsync(newer)).State);
        var last = Assert.Single(await _first.ClaimAsync(Jobber, 1, "p1", T0.AddSeconds(20), Lease, CancellationToken.None));
        Assert.Equal([(newer, 1)], (await _first.ListEventsAsync(last, CancellationToken.None)).Select(e => (e.Event.Id, e.Attempts)));
    }

    protected async Task Complete_EventRegisteredDuringTheFetch_WaitsForItsOwnFetch_ThenTheEntityIsGone()
    {
        var first = await AddAwaitingAsync("J-6");
        await _first.RegisterAsync(Registrations([first], "J-6"), Window, T0, CancellationToken.None);
        var claim = Assert.Single(await _first.ClaimAsync(Jobber, 1, "p1", T0.AddSeconds(1), Lease, CancellationToken.None));
        var snapshot = await _first.ListEventsAsync(claim, CancellationToken.None);
        var late = await AddAwaitingAsync("J-6");
        await _second.RegisterAsync(Registrations([late], "J-6"), Window, T0.AddSeconds(1.2), CancellationToken.None);

        var verdicts = await _first.CompleteAsync(claim, Commit("J-6", snapshot.Select(e => e.Event.Id)), Window, CancellationToken.None);

        Assert.Equal([(first, InboxEventState.New)], verdicts.Select(v => (v.EventId, v.State)));
        Assert.Empty(await _second.ClaimAsync(Jobber, 1, "p2", T0.AddSeconds(1.6), Lease, CancellationToken.None));
        var next = Assert.Single(await _second.ClaimAsync(Jobber, 1, "p2", T0.AddSeconds(1.7), Lease, CancellationToken.None));
        Assert.Equal([late], (await _second.ListEventsAsync(next, CancellationToken.None)).Select(e => e.Event.Id));
        await _second.CompleteAsync(next, Commit("J-6", [late]), Window, CancellationToken.None);
        Assert.Equal(0L, await ScalarAsync<long>("SELECT COUNT(*) FROM hydration_entity"));
    }

    protected async Task PauseSource_SeenByOneProcess_HoldsBackEveryProcessesClaimsUntilItEnds()
    {
        await _first.RegisterAsync(Registrations([await AddAwaitingAsync("J-7")], "J-7"), Window, T0, CancellationToken.None);
        await _first.PauseSourceAsync("jobber", T0.AddSeconds(5), CancellationToken.None);
        await _first.PauseSourceAsync("jobber", T0.AddSeconds(2), CancellationToken.None); // an earlier end does not shorten it

        Assert.Equal(T0.AddSeconds(5), await _second.GetSourcePauseAsync("jobber", CancellationToken.None));
        Assert.Empty(await _second.ClaimAsync(Jobber, 1, "p2", T0.AddSeconds(4.9), Lease, CancellationToken.None));
        Assert.Single(await _second.ClaimAsync(Jobber, 1, "p2", T0.AddSeconds(5.1), Lease, CancellationToken.None));
    }

    private static readonly IReadOnlyDictionary<long, string> NoReasons = new Dictionary<long, string>();

    private static List<HydrationRegistration> Registrations(IEnumerable<long> ids, string entityId) =>
        ids.Select(id => new HydrationRegistration(id, new HydrationRequest("jobber", "Job", entityId, "JOB_CLOSED"))).ToList();

    private static HydrationCommit Commit(string entityId, IEnumerable<long> ids) =>
        new("jobber", "Job", entityId, T0, ids.Select(id => new HydratedEvent(id, "JOB_CLOSED", """{"record":{}}""")).ToList());

    private async Task<long> AddAwaitingAsync(string entityId)
    {
        await using var connection = await _database.Connections.OpenAsync(CancellationToken.None);
        return await connection.ExecuteScalarAsync<long>(_database.Connections.Dialect.InsertReturning("inbox",
                ["source", "dedup_key", "received_at", "headers", "body", "state"], ["'jobber'", "@key", "1", "'{}'", "@body", "@state"], "id"),
            new
            {
                key = $"{entityId}-{Interlocked.Increment(ref _dedup)}",
                body = System.Text.Encoding.UTF8.GetBytes("""{"data":{"webHookEvent":{"topic":"JOB_CLOSED","itemId":""" + $"\"{entityId}\"" + "}}}"),
                state = InboxEventState.AwaitingHydration,
            });
    }

    private async Task<(string State, string? Reason)> StateAsync(long id)
    {
        await using var connection = await _database.Connections.OpenAsync(CancellationToken.None);
        return await connection.QuerySingleAsync<(string, string?)>("SELECT state, state_reason FROM inbox WHERE id = @id", new { id });
    }

    private async Task<T> ScalarAsync<T>(string sql)
    {
        await using var connection = await _database.Connections.OpenAsync(CancellationToken.None);
        return (await connection.ExecuteScalarAsync<T>(sql))!;
    }
}
