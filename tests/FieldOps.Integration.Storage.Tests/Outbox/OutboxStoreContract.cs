using FieldOps.Integration.Core.Connectors;
using FieldOps.Integration.Core.Outbox;
using FieldOps.Integration.Storage.Outbox;
using FieldOps.Integration.Storage.Tests.Infrastructure;
using FieldOps.Integration.Testing.Stores;

namespace FieldOps.Integration.Storage.Tests.Outbox;

/// <summary>The dispatcher's store, the same for every provider; each provider's class runs these bodies.</summary>
public abstract partial class OutboxStoreContract : IAsyncLifetime, IAsyncDisposable
{
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(1);
    private TestDatabase _database = null!;
    private OutboxStore _store = null!;

    protected abstract TestDatabase NewDatabase();

    public async Task InitializeAsync()
    {
        _database = await NewDatabase().InitializeAsync();
        _store = new OutboxStore(_database.Connections, TimeProvider.System);
    }

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        await _database.DisposeAsync();
    }

    async ValueTask IAsyncDisposable.DisposeAsync()
    {
        await DisposeAsync();
        GC.SuppressFinalize(this);
    }

    private Task<IReadOnlyList<FieldOps.Integration.Core.Outbox.NewOutboxRow>> AddRowsAsync(params TestRow[] rows) => TestRows.AddAsync(_database.Connections, rows);

    private Task<T> ScalarAsync<T>(string sql) => TestRows.ScalarAsync<T>(_database.Connections, sql);

    private IStoreConnections NewConnections() => _database.OpenConnections();

    private static DateTimeOffset Now => DateTimeOffset.UtcNow.AddSeconds(1);

    protected async Task Claim_TwoRowsOnOneKey_ClaimsOnlyTheOldest()
    {
        var rows = await AddRowsAsync(new TestRow("k1", new { n = 1 }), new TestRow("k1", new { n = 2 }));

        var claimed = await _store.ClaimAsync("http", 10, [], "w1", Now, Lease, CancellationToken.None);

        Assert.Equal([rows[0].Id], claimed.Select(c => c.Operation.Id));
    }

    /// <summary>
    /// Every column the claim returns reaches the claimed operation (on SQLite the claim reads them by position, not by
    /// name: a column out of place would give another column's value).
    /// </summary>
    protected async Task Claim_Row_CarriesEveryColumnTheDispatcherReads()
    {
        var rows = await AddRowsAsync(new TestRow("k1", new { fields = new { a = 1 }, @params = new { endpoint = "things" } },
            Operation: "create", ObjectType: "Customer", IdempotencyKey: "idem-1", Connection: "eu", XrefSourceId: "42"));

        var claimed = Assert.Single(await _store.ClaimAsync("http", 10, [], "w1", Now, Lease, CancellationToken.None));

        var operation = claimed.Operation;
        Assert.Equal((rows[0].Id, "http", "eu", "create", "Customer", "idem-1", "k1", "42", "test-flow", 1, false),
            (operation.Id, operation.Connector, operation.Connection, operation.Operation, operation.ObjectType, operation.IdempotencyKey,
                operation.PartitionKey, operation.XrefSourceId, operation.Flow, operation.Attempt, operation.MayHaveBeenApplied));
        Assert.Null(operation.Payload.Error);
        Assert.Equal("""{"fields":{"a":1},"params":{"endpoint":"things"}}""", operation.Payload.ToJsonString());
        Assert.Equal((OutboxStates.Pending, 0, "mappings/flows/test.yaml", rows[0].InboxEventId), (claimed.State, claimed.Attempts, claimed.SourceFile, claimed.InboxEventId));
        Assert.True(claimed.Seq > 0);
        Assert.InRange(claimed.CreatedAt, DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddMinutes(1));
        Assert.Null(claimed.FirstAttemptAt);
        Assert.Null(claimed.XrefWaitSince);
    }

    protected async Task Claim_Row_CarriesItsInboxEventIdForTheLogs()
    {
        var rows = await AddRowsAsync(new TestRow("k1", new { n = 1 }));

        var claimed = await _store.ClaimAsync("http", 10, [], "w1", Now, Lease, CancellationToken.None);

        Assert.Equal(rows[0].InboxEventId, Assert.Single(claimed).InboxEventId);
        Assert.NotEqual(0, rows[0].InboxEventId);
    }

    protected async Task Claim_UnrelatedKeys_ClaimsOnePerKeyInOrder()
    {
        var rows = await AddRowsAsync(new TestRow("a", new { }), new TestRow("a", new { }), new TestRow("b", new { }), new TestRow("c", new { }));

        var claimed = await _store.ClaimAsync("http", 10, [], "w1", Now, Lease, CancellationToken.None);

        Assert.Equal([rows[0].Id, rows[2].Id, rows[3].Id], claimed.Select(c => c.Operation.Id));
    }

    protected async Task Claim_SecondWorkerWhileLeaseHeld_ClaimsNothing()
    {
        await AddRowsAsync(new TestRow("a", new { }));
        var other = new OutboxStore(_database.Connections, TimeProvider.System);

        var first = await _store.ClaimAsync("http", 10, [], "w1", Now, Lease, CancellationToken.None);
        var second = await other.ClaimAsync("http", 10, [], "w2", Now, Lease, CancellationToken.None);

        Assert.Single(first);
        Assert.Empty(second);
    }

    protected async Task Claim_AfterLeaseExpired_ClaimsTheCrashedWorkersRowAgain()
    {
        var rows = await AddRowsAsync(new TestRow("a", new { }));
        await _store.ClaimAsync("http", 10, [], "crashed", Now, TimeSpan.FromSeconds(5), CancellationToken.None);

        var later = await _store.ClaimAsync("http", 10, [], "w2", Now.AddSeconds(6), Lease, CancellationToken.None);

        Assert.Equal(rows[0].Id, Assert.Single(later).Operation.Id);
    }

    protected async Task Claim_PausedConnection_SkipsItsRows()
    {
        var rows = await AddRowsAsync(new TestRow("a", new { }, Connection: "broken"), new TestRow("b", new { }));

        var claimed = await _store.ClaimAsync("http", 10, ["broken"], "w1", Now, Lease, CancellationToken.None);

        Assert.Equal(rows[1].Id, Assert.Single(claimed).Operation.Id);
    }

    protected async Task ClaimAsync_ManyWorkersAtOnce_NeverClaimsARowTwice()
    {
        var rows = Enumerable.Range(0, 60).Select(i => new TestRow($"k{i}", new { i })).ToArray();
        await AddRowsAsync(rows);
        var workers = Enumerable.Range(0, 6).Select(w => new OutboxStore(NewConnections(), TimeProvider.System)).ToList();

        var claims = await Task.WhenAll(workers.Select((w, i) => Task.Run(async () =>
        {
            var mine = new List<string>();
            for (var round = 0; round < 10; round++)
                mine.AddRange((await w.ClaimAsync("http", 3, [], $"w{i}", Now, Lease, CancellationToken.None)).Select(c => c.Operation.Id));
            return mine;
        })));

        var all = claims.SelectMany(c => c).ToList();
        Assert.Equal(60, all.Count);
        Assert.Equal(all.Count, all.Distinct().Count());
    }

    protected async Task ClaimAsync_SeveralConnectorsInOneCall_TakesEachOnesLimitAndPausedConnections()
    {
        var rows = await AddRowsAsync(
            new TestRow("a1", new { }), new TestRow("a2", new { }), new TestRow("a3", new { }),
            new TestRow("b1", new { }, Connector: "jobber"), new TestRow("b2", new { }, Connector: "jobber"),
            new TestRow("c1", new { }, Connector: "hubspot"));

        var claimed = await _store.ClaimAsync(
            [new ClaimRequest("http", 2, []), new ClaimRequest("jobber", 10, []), new ClaimRequest("hubspot", 10, ["default"])],
            "w1", Now, Lease, CancellationToken.None);

        // http: its limit of 2, oldest first; jobber: both; hubspot: its only row is on a paused connection.
        Assert.Equal([rows[0].Id, rows[1].Id, rows[3].Id, rows[4].Id], claimed.Select(c => c.Operation.Id));
        Assert.Equal(["http", "http", "jobber", "jobber"], claimed.Select(c => c.Operation.Connector));
        Assert.Equal(OutboxStates.Pending, (await _store.GetStatusAsync(rows[5].Id, CancellationToken.None))!.State);
        Assert.Equal(4, await _store.CountLeasesAsync("w1", Now, CancellationToken.None));
    }

    protected async Task Update_DeadLetter_BlocksSuccessorsUntilReplayed()
    {
        var rows = await AddRowsAsync(new TestRow("k", new { }), new TestRow("k", new { }), new TestRow("other", new { }));
        var head = (await _store.ClaimAsync("http", 10, [], "w1", Now, Lease, CancellationToken.None)).First(c => c.Operation.Id == rows[0].Id);

        var written = await _store.UpdateAsync(new OutboxUpdate
        {
            Id = head.Operation.Id,
            State = OutboxStates.Dead,
            Attempts = 1,
            DeadReason = "Permanent: bad",
            AttemptRecords = [new AttemptRecord(1, Now, TimeSpan.FromMilliseconds(5), OutcomeKind.Permanent, 400, "bad", "{\"access_token\":\"x\"}")],
        }, "w1", Now, CancellationToken.None);

        Assert.True(written);
        Assert.Equal(OutboxStates.Blocked, (await _store.GetStatusAsync(rows[1].Id, CancellationToken.None))!.State);
        Assert.Equal(OutboxStates.Pending, (await _store.GetStatusAsync(rows[2].Id, CancellationToken.None))!.State);
        Assert.DoesNotContain(await _store.ClaimAsync("http", 10, [], "w1", Now, Lease, CancellationToken.None), c => c.Operation.PartitionKey == "k");
        // The attempt names the instance that made it: the lease owner that wrote it back.
        Assert.Equal("w1", Assert.Single(await _store.GetAttemptsAsync(rows[0].Id, CancellationToken.None)).Instance);

        Assert.True(await _store.ReplayAsync(rows[0].Id, CancellationToken.None));

        Assert.Equal(OutboxStates.Pending, (await _store.GetStatusAsync(rows[1].Id, CancellationToken.None))!.State);
        var again = await _store.ClaimAsync("http", 10, [], "w2", Now, Lease, CancellationToken.None);
        var replayed = Assert.Single(again, c => c.Operation.PartitionKey == "k");
        Assert.Equal(rows[0].Id, replayed.Operation.Id);
        Assert.Equal(0, replayed.Attempts);
    }

    protected async Task Update_ReleasedWithoutACall_KeepsTheLastOutcomeAndError()
    {
        var rows = await AddRowsAsync(new TestRow("k", new { }));
        async Task<bool> ClaimAndWriteBackAsync(Func<ClaimedOperation, OutboxUpdate> update) => await _store.UpdateAsync(
            update(Assert.Single(await _store.ClaimAsync("http", 10, [], "w1", Now, Lease, CancellationToken.None))), "w1", Now, CancellationToken.None);
        Assert.True(await ClaimAndWriteBackAsync(c => new OutboxUpdate
        {
            Id = c.Operation.Id, State = OutboxStates.Pending, Attempts = 1, NextAttemptAt = Now, LastOutcome = OutcomeKind.Transient, LastError = "HTTP 503: try later",
        }));

        // Claimed again, then back unsent (its connector paused): no attempt, and what the last one said stays.
        Assert.True(await ClaimAndWriteBackAsync(c => new OutboxUpdate { Id = c.Operation.Id, State = OutboxStates.Pending, Attempts = c.Attempts, KeepLastOutcome = true }));

        var status = (await _store.GetStatusAsync(rows[0].Id, CancellationToken.None))!;
        Assert.Equal((OutboxStates.Pending, 1, nameof(OutcomeKind.Transient), "HTTP 503: try later"), (status.State, status.Attempts, status.LastOutcome, status.LastError));
        Assert.Equal(0, await _store.CountLeasesAsync("w1", Now, CancellationToken.None));
    }

    protected async Task Claim_RowRoutedAfterItsKeysDeadLetter_IsShownBlockedAndReleasedByReplay()
    {
        var rows = await AddRowsAsync(new TestRow("k", new { }));
        await _store.ClaimAsync("http", 10, [], "w1", Now, Lease, CancellationToken.None);
        await _store.UpdateAsync(new OutboxUpdate { Id = rows[0].Id, State = OutboxStates.Dead, Attempts = 1, DeadReason = "x" }, "w1", Now, CancellationToken.None);
        var late = await AddRowsAsync(new TestRow("k", new { }));

        var fresh = new OutboxStore(_database.Connections, TimeProvider.System);
        Assert.Empty(await fresh.ClaimAsync("http", 10, [], "w2", Now, Lease, CancellationToken.None));
        Assert.Equal(OutboxStates.Blocked, (await _store.GetStatusAsync(late[0].Id, CancellationToken.None))!.State);

        Assert.True(await _store.ReplayAsync(rows[0].Id, CancellationToken.None));
        Assert.Equal(OutboxStates.Pending, (await _store.GetStatusAsync(late[0].Id, CancellationToken.None))!.State);
    }

    protected async Task Discard_DeadLetter_ReleasesTheNextRow()
    {
        var rows = await AddRowsAsync(new TestRow("k", new { }), new TestRow("k", new { }));
        await _store.ClaimAsync("http", 10, [], "w1", Now, Lease, CancellationToken.None);
        await _store.UpdateAsync(new OutboxUpdate { Id = rows[0].Id, State = OutboxStates.Dead, Attempts = 1, DeadReason = "x" }, "w1", Now, CancellationToken.None);

        Assert.True(await _store.DiscardAsync(rows[0].Id, "operator: customer merged by hand", CancellationToken.None));

        var next = await _store.ClaimAsync("http", 10, [], "w1", Now, Lease, CancellationToken.None);
        Assert.Equal(rows[1].Id, Assert.Single(next).Operation.Id);
        Assert.Equal(OutboxStates.Discarded, (await _store.GetStatusAsync(rows[0].Id, CancellationToken.None))!.State);
    }

    protected async Task Update_AfterLeaseTakenOver_WritesNothing()
    {
        var rows = await AddRowsAsync(new TestRow("k", new { }));
        await _store.ClaimAsync("http", 10, [], "old", Now, TimeSpan.FromSeconds(1), CancellationToken.None);
        await _store.ClaimAsync("http", 10, [], "new", Now.AddSeconds(2), Lease, CancellationToken.None);

        var written = await _store.UpdateAsync(new OutboxUpdate { Id = rows[0].Id, State = OutboxStates.Delivered, Attempts = 1 }, "old", Now, CancellationToken.None);

        Assert.False(written);
        Assert.Equal(OutboxStates.Pending, (await _store.GetStatusAsync(rows[0].Id, CancellationToken.None))!.State);
    }

    protected async Task Update_ManyAtOnce_EachCallerHearsItsOwnResult()
    {
        var rows = await AddRowsAsync(Enumerable.Range(0, 40).Select(i => new TestRow($"k{i}", new { i })).ToArray());
        await _store.ClaimAsync("http", 40, [], "w1", Now, Lease, CancellationToken.None);

        // Written together (group commit); the one whose lease is not ours must write nothing and say so.
        var marked = await Task.WhenAll(rows.Take(11).Select((r, i) => _store.MarkInFlightAsync(r.Id, i == 10 ? "someone-else" : "w1", 1, Now, Now, CancellationToken.None)));
        Assert.Equal(Enumerable.Range(0, 11).Select(i => i != 10), marked);
        Assert.Equal(10, await ScalarAsync<long>("SELECT COUNT(*) FROM outbox WHERE state = 'in_flight'"));
        Assert.Equal(OutboxStates.Pending, (await _store.GetStatusAsync(rows[10].Id, CancellationToken.None))!.State);
        // Ours by name, but the lease has run out: another worker could claim it during the call.
        Assert.False(await _store.MarkInFlightAsync(rows[11].Id, "w1", 1, Now, Now + Lease + TimeSpan.FromSeconds(1), CancellationToken.None));
        Assert.Equal(OutboxStates.Pending, (await _store.GetStatusAsync(rows[11].Id, CancellationToken.None))!.State);
        var written = await Task.WhenAll(rows.Select((r, i) => _store.UpdateAsync(
            new OutboxUpdate { Id = r.Id, State = OutboxStates.Delivered, Attempts = 1 }, i == 7 ? "someone-else" : "w1", Now, CancellationToken.None)));

        Assert.Equal(Enumerable.Range(0, 40).Select(i => i != 7), written);
        Assert.Equal(39, await ScalarAsync<long>("SELECT COUNT(*) FROM outbox WHERE state = 'delivered'"));
        Assert.Equal(OutboxStates.InFlight, (await _store.GetStatusAsync(rows[7].Id, CancellationToken.None))!.State);
    }

    protected async Task Update_DeliveredWithCrossReference_SavesTheXrefInTheSameWrite()
    {
        var rows = await AddRowsAsync(new TestRow("k", new { }, ObjectType: "Customer", XrefSourceId: "42"),
            new TestRow("k2", new { }, ObjectType: "Customer", XrefSourceId: "43"), new TestRow("k3", new { }, ObjectType: "Customer", XrefSourceId: "42"));
        await _store.ClaimAsync("http", 10, [], "w1", Now, Lease, CancellationToken.None);

        await _store.UpdateAsync(new OutboxUpdate
        {
            Id = rows[0].Id, State = OutboxStates.Delivered, Attempts = 1, TargetId = "58", CrossReference = ("http", "Customer", "42", "58"),
        }, "w1", Now, CancellationToken.None);

        Assert.Equal("58", await ScalarAsync<string>("SELECT target_id FROM xref WHERE system = 'http' AND object_type = 'Customer' AND source_id = '42'"));
        Assert.Equal(OutboxStates.Delivered, (await _store.GetStatusAsync(rows[0].Id, CancellationToken.None))!.State);

        // The write-backs' upsert is one command reused on the writer's connection: another key, then the first key again.
        await _store.UpdateAsync(new OutboxUpdate
        {
            Id = rows[1].Id, State = OutboxStates.Delivered, Attempts = 1, TargetId = "59", CrossReference = ("http", "Customer", "43", "59"),
        }, "w1", Now, CancellationToken.None);
        await _store.UpdateAsync(new OutboxUpdate
        {
            Id = rows[2].Id, State = OutboxStates.Delivered, Attempts = 1, TargetId = "60", CrossReference = ("http", "Customer", "42", "60"),
        }, "w1", Now, CancellationToken.None);
        Assert.Equal("59", await ScalarAsync<string>("SELECT target_id FROM xref WHERE system = 'http' AND object_type = 'Customer' AND source_id = '43'"));
        Assert.Equal("60", await ScalarAsync<string>("SELECT target_id FROM xref WHERE system = 'http' AND object_type = 'Customer' AND source_id = '42'"));
    }
}
