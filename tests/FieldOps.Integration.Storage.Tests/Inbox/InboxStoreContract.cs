using System.Text;
using Dapper;
using FieldOps.Integration.Core.Inbox;
using FieldOps.Integration.Core.Outbox;
using FieldOps.Integration.Core.Routing;
using FieldOps.Integration.Storage.Inbox;
using FieldOps.Integration.Storage.Migrations;
using FieldOps.Integration.Storage.Outbox;
using FieldOps.Integration.Storage.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;

namespace FieldOps.Integration.Storage.Tests.Inbox;

/// <summary>The store's behaviour, the same for every provider; each provider's class runs these bodies.</summary>
public abstract partial class InboxStoreContract
{
    protected abstract TestDatabase NewDatabase();

    /// <summary>Statements that make this provider's store refuse to insert an inbox event with <paramref name="dedupKey"/>.</summary>
    protected abstract string[] RefuseInsertOf(string dedupKey);

    protected async Task Append_NewEvent_IsStoredAsReceived()
    {
        await using var db = await NewDatabase().InitializeAsync();
        await using var store = NewStore(db);
        var result = await store.AppendAsync(Event("k1", """{"a":1}"""), CancellationToken.None);
        Assert.False(result.IsDuplicate);
        var stored = await store.GetAsync(result.EventId, CancellationToken.None);
        Assert.NotNull(stored);
        Assert.Equal("""{"a":1}""", Encoding.UTF8.GetString(stored.Body));
        Assert.Equal("k1", stored.DedupKey);
        Assert.Equal(InboxEventState.New, stored.State);
        Assert.Contains("\"Content-Type\":\"application/json\"", stored.Headers, StringComparison.Ordinal);
    }

    protected async Task Append_SameKeyTwice_ReturnsTheFirstIdAndStoresOne()
    {
        await using var db = await NewDatabase().InitializeAsync();
        await using var store = NewStore(db);
        var first = await store.AppendAsync(Event("dup", "{}"), CancellationToken.None);
        var second = await store.AppendAsync(Event("dup", """{"changed":true}"""), CancellationToken.None);
        Assert.True(second.IsDuplicate);
        Assert.Equal(first.EventId, second.EventId);
        Assert.Equal(1, await store.CountAsync(CancellationToken.None));
    }

    protected async Task Append_ManyConcurrently_GroupCommitsEachOnce()
    {
        await using var db = await NewDatabase().InitializeAsync();
        await using var store = NewStore(db);
        var results = await Task.WhenAll(Enumerable.Range(0, 400).Select(i => store.AppendAsync(Event($"k{i % 200}", "{}"), CancellationToken.None)));
        Assert.Equal(200, results.Count(r => !r.IsDuplicate));
        Assert.Equal(200, results.Select(r => r.EventId).Distinct().Count());
        Assert.Equal(200, await store.CountAsync(CancellationToken.None));
        // Each caller hears its own event's id (a group's results are read back in order, one per event).
        for (var i = 0; i < 200; i++)
        {
            Assert.Equal(results[i].EventId, results[i + 200].EventId);
            Assert.Equal($"k{i}", (await store.GetAsync(results[i].EventId, CancellationToken.None))!.DedupKey);
        }
        var listed = await store.ListAsync(InboxEventState.New, 0, 1000, CancellationToken.None);
        Assert.Equal(200, listed.Count);
    }

    protected async Task ClaimNew_TwoRouters_EachEventToOne_UntilTheLeaseExpires()
    {
        await using var db = await NewDatabase().InitializeAsync();
        await using var store = NewStore(db);
        foreach (var i in Enumerable.Range(0, 6))
            await store.AppendAsync(Event($"c{i}", "{}"), CancellationToken.None);
        var now = DateTimeOffset.UtcNow;
        var lease = TimeSpan.FromSeconds(30);

        var first = await store.ClaimNewAsync("w1", 4, now, lease, CancellationToken.None);
        var second = await store.ClaimNewAsync("w2", 4, now, lease, CancellationToken.None);
        var third = await store.ClaimNewAsync("w3", 4, now, lease, CancellationToken.None);

        Assert.Equal(4, first.Count);
        Assert.Equal(2, second.Count);
        Assert.Empty(third);
        Assert.Empty(first.Select(e => e.Id).Intersect(second.Select(e => e.Id)));
        Assert.Equal(first.Select(e => e.Id).Order(), first.Select(e => e.Id)); // oldest first
        Assert.True(first.Max(e => e.Id) < second.Min(e => e.Id));
        // Its owner takes its own events again (a batch that failed is retried at once); another waits out the lease.
        Assert.Equal(first.Select(e => e.Id), (await store.ClaimNewAsync("w1", 4, now, lease, CancellationToken.None)).Select(e => e.Id));
        Assert.Empty(await store.ClaimNewAsync("w3", 4, now + lease - TimeSpan.FromSeconds(1), lease, CancellationToken.None));
        Assert.Equal(6, (await store.ClaimNewAsync("w3", 10, now + lease + TimeSpan.FromSeconds(1), lease, CancellationToken.None)).Count);
    }

    protected async Task Migrate_Twice_AppliesNothingTheSecondTime()
    {
        await using var db = await NewDatabase().InitializeAsync();
        var runner = new MigrationRunner(db.Connections, TimeProvider.System, NullLogger<MigrationRunner>.Instance);
        Assert.Equal(0, await runner.MigrateAsync(CancellationToken.None));
        Assert.Null(await new StoreHealth(db.Connections, TimeProvider.System).CheckAsync(CancellationToken.None));
    }

    protected async Task Routing_SameRowsTwice_WritesThemOnceAndMarksTheEventRouted()
    {
        await using var db = await NewDatabase().InitializeAsync();
        await using var store = NewStore(db);
        var appended = await store.AppendAsync(Event("r1", "{}"), CancellationToken.None);
        var routing = new RoutingStore(db.Connections, TimeProvider.System);
        var rows = new[] { Row(appended.EventId, "a", "p1"), Row(appended.EventId, "b", "p1") };

        Assert.Equal(2, await routing.CommitRoutedAsync(appended.EventId, rows, CancellationToken.None));
        Assert.Equal(0, await routing.CommitRoutedAsync(appended.EventId, rows, CancellationToken.None));

        Assert.Equal(InboxEventState.Routed, (await store.GetAsync(appended.EventId, CancellationToken.None))!.State);
        await using var connection = await db.Connections.OpenAsync(CancellationToken.None);
        var order = (await connection.QueryAsync<string>("SELECT operation_key FROM outbox ORDER BY seq")).ToList();
        Assert.Equal(["a", "b"], order);
    }

    /// <summary>
    /// Two routers (two processes) that read the same new event must not both write its rows. With the same mapping
    /// revision the row ids collide and the second insert is ignored; with another revision (one process reloaded
    /// its mappings first) the ids differ, so only the "still new" check at the start of the commit stops the second.
    /// </summary>
    protected async Task Routing_SecondCommitOfAnEventNoLongerNew_WritesNothing()
    {
        await using var db = await NewDatabase().InitializeAsync();
        await using var store = NewStore(db);
        var appended = await store.AppendAsync(Event("r2", "{}"), CancellationToken.None);
        var routing = new RoutingStore(db.Connections, TimeProvider.System);

        var first = await routing.CommitRoutedAsync(appended.EventId, [Row(appended.EventId, "note", "p1")], CancellationToken.None);
        var second = await routing.CommitRoutedAsync(appended.EventId, [Row(appended.EventId, "note", "p1", "rev2")], CancellationToken.None);

        Assert.Equal((1, 0), (first, second));
        await using var connection = await db.Connections.OpenAsync(CancellationToken.None);
        Assert.Equal(["rev1"], (await connection.QueryAsync<string>("SELECT mapping_revision FROM outbox")).ToList());
        Assert.Equal(InboxEventState.Routed, (await store.GetAsync(appended.EventId, CancellationToken.None))!.State);
    }

    protected async Task Routing_GroupOfEvents_CommitsEachInOrderAndChecksVersionsAcrossTheGroup()
    {
        await using var db = await NewDatabase().InitializeAsync();
        await using var store = NewStore(db);
        var ids = new List<long>();
        foreach (var key in new[] { "g1", "g2", "g3", "g4" })
            ids.Add((await store.AppendAsync(Event(key, "{}"), CancellationToken.None)).EventId);
        var routing = new RoutingStore(db.Connections, TimeProvider.System);
        var at = new DateTimeOffset(2025, 3, 14, 12, 0, 0, TimeSpan.Zero);
        var many = Enumerable.Range(0, 60).Select(i => Row(ids[2], $"m{i:D2}", "p2")).ToList(); // more than one INSERT statement

        var results = await routing.CommitRoutedBatchAsync(
        [
            new RoutedEvent(ids[0], [Row(ids[0], "a", "p1"), Row(ids[0], "b", "p1")], new EntityVersionClaim("test", "Job", "J1", at, "JOB_CLOSED")),
            new RoutedEvent(ids[1], [Row(ids[1], "c", "p1")], new EntityVersionClaim("test", "Job", "J1", at.AddMinutes(-1), "JOB_CLOSED")),
            new RoutedEvent(ids[2], many, null),
            new RoutedEvent(ids[3], [Row(ids[3], "d", "p1")], new EntityVersionClaim("test", "Job", "J1", at, "JOB_CLOSED")),
        ], CancellationToken.None);

        // The group's statements are built once and run again per event (prepared once on SQLite): each run sees its own values.
        Assert.Equal([InboxEventState.Routed, InboxEventState.Stale, InboxEventState.Routed, InboxEventState.Stale], results.Select(r => r.State));
        Assert.Equal([2, 0, 60, 0], results.Select(r => r.Added));
        Assert.Contains("older than", results[1].Reason, StringComparison.Ordinal);
        Assert.StartsWith($"duplicate of inbox event {ids[0]}:", results[3].Reason, StringComparison.Ordinal);
        Assert.Null((await store.GetAsync(ids[2], CancellationToken.None))!.StateReason);
        await using var connection = await db.Connections.OpenAsync(CancellationToken.None);
        var order = (await connection.QueryAsync<string>("SELECT operation_key FROM outbox ORDER BY seq")).ToList();
        Assert.Equal(["a", "b", .. many.Select(r => r.OperationKey)], order);
        Assert.Equal(62, await connection.ExecuteScalarAsync<long>("SELECT COUNT(DISTINCT seq) FROM outbox"));
        Assert.Equal(InboxEventState.Stale, (await store.GetAsync(ids[1], CancellationToken.None))!.State);
    }

    protected async Task Routing_VersionRecordedForTheEventBefore_AndAPartlyFailedEvent_AreRoutedWithTheirRows()
    {
        await using var db = await NewDatabase().InitializeAsync();
        await using var store = NewStore(db);
        var hydrated = (await store.AppendAsync(Event("h1", "{}"), CancellationToken.None)).EventId;
        var partly = (await store.AppendAsync(Event("h2", "{}"), CancellationToken.None)).EventId;
        var at = new DateTimeOffset(2025, 3, 14, 12, 0, 0, TimeSpan.Zero);
        await using (var connection = await db.Connections.OpenAsync(CancellationToken.None))
        {
            // The hydrator accepted this version under the event's own id before routing.
            await connection.ExecuteAsync(
                "INSERT INTO entity_version (source, entity_type, entity_id, source_version, topic, inbox_event_id, recorded_at) " +
                "VALUES ('test', 'Job', 'J9', @version, 'JOB_CLOSED', @id, 0)", new { version = at.ToUnixTimeMilliseconds(), id = hydrated });
        }
        var routing = new RoutingStore(db.Connections, TimeProvider.System);

        var results = await routing.CommitRoutedBatchAsync(
        [
            new RoutedEvent(hydrated, [Row(hydrated, "a", "p1")], new EntityVersionClaim("test", "Job", "J9", at, "JOB_CLOSED")),
            new RoutedEvent(partly, [Row(partly, "b", "p2")], new EntityVersionClaim("test", "Job", "J10", at, "JOB_CLOSED"), "flows/x.yaml:3:7: boom"),
        ], CancellationToken.None);

        // Not a duplicate of itself; the other's rows are written and the event parked for its failed flow.
        Assert.Equal([(InboxEventState.Routed, 1), (InboxEventState.Parked, 1)], results.Select(r => (r.State, r.Added)));
        Assert.Equal("flows/x.yaml:3:7: boom", (await store.GetAsync(partly, CancellationToken.None))!.StateReason);
        await using var read = await db.Connections.OpenAsync(CancellationToken.None);
        Assert.Equal([hydrated, partly], await read.QueryAsync<long>("SELECT inbox_event_id FROM entity_version ORDER BY inbox_event_id"));
    }

    /// <summary>
    /// A second router's commit of an event already routed (first without a version) that carries a version: the version
    /// is neither judged nor recorded and no row is written — not stale when it is older than another event's, not
    /// recorded when it is newer. On PostgreSQL the check runs in the same batch as the "still new?" update, so its
    /// answer is there and must be ignored.
    /// </summary>
    protected async Task Routing_EventNoLongerNewWithAVersion_WritesNoRowsAndRecordsNoVersion()
    {
        await using var db = await NewDatabase().InitializeAsync();
        await using var store = NewStore(db);
        var other = (await store.AppendAsync(Event("n0", "{}"), CancellationToken.None)).EventId;
        var id = (await store.AppendAsync(Event("n1", "{}"), CancellationToken.None)).EventId;
        var routing = new RoutingStore(db.Connections, TimeProvider.System);
        var at = new DateTimeOffset(2025, 3, 14, 12, 0, 0, TimeSpan.Zero);
        await routing.CommitRoutedAsync(other, [Row(other, "o", "p0")], new EntityVersionClaim("test", "Job", "J7", at, "JOB_CLOSED"), CancellationToken.None);
        Assert.Equal(1, await routing.CommitRoutedAsync(id, [Row(id, "a", "p1")], CancellationToken.None));

        var older = await routing.CommitRoutedAsync(
            id, [Row(id, "b", "p1", "rev2")], new EntityVersionClaim("test", "Job", "J7", at.AddMinutes(-5), "JOB_CLOSED"), CancellationToken.None);
        var newer = await routing.CommitRoutedAsync(
            id, [Row(id, "c", "p1", "rev3")], new EntityVersionClaim("test", "Job", "J7", at.AddMinutes(5), "JOB_CLOSED"), CancellationToken.None);

        Assert.Equal((InboxEventState.Routed, 0), (older.State, older.Added));
        Assert.Equal((InboxEventState.Routed, 0), (newer.State, newer.Added));
        Assert.Equal(InboxEventState.Routed, (await store.GetAsync(id, CancellationToken.None))!.State);
        await using var connection = await db.Connections.OpenAsync(CancellationToken.None);
        Assert.Equal(["o", "a"], (await connection.QueryAsync<string>("SELECT operation_key FROM outbox ORDER BY seq")).ToList());
        Assert.Equal([(other, at.ToUnixTimeMilliseconds())],
            (await connection.QueryAsync<(long, long)>("SELECT inbox_event_id, source_version FROM entity_version WHERE entity_id = 'J7'")).ToList());
    }

    /// <summary>
    /// An event some of whose flows failed (it would be parked with the rows of the others) that carries an older
    /// version than one routed before it: it ends stale with no rows, not parked.
    /// </summary>
    protected async Task Routing_PartlyFailedEventWithAnOlderVersion_EndsStaleWithoutRows()
    {
        await using var db = await NewDatabase().InitializeAsync();
        await using var store = NewStore(db);
        var newer = (await store.AppendAsync(Event("s1", "{}"), CancellationToken.None)).EventId;
        var older = (await store.AppendAsync(Event("s2", "{}"), CancellationToken.None)).EventId;
        var routing = new RoutingStore(db.Connections, TimeProvider.System);
        var at = new DateTimeOffset(2025, 3, 14, 12, 0, 0, TimeSpan.Zero);

        await routing.CommitRoutedAsync(newer, [Row(newer, "a", "p1")], new EntityVersionClaim("test", "Job", "J8", at, "JOB_CLOSED"), CancellationToken.None);
        var results = await routing.CommitRoutedBatchAsync(
            [new RoutedEvent(older, [Row(older, "b", "p1")], new EntityVersionClaim("test", "Job", "J8", at.AddMinutes(-5), "JOB_CLOSED"), "flows/x.yaml:3:7: boom")],
            CancellationToken.None);

        Assert.Equal((InboxEventState.Stale, 0), (results[0].State, results[0].Added));
        var stored = await store.GetAsync(older, CancellationToken.None);
        Assert.Equal(InboxEventState.Stale, stored!.State);
        Assert.Contains("older than", stored.StateReason, StringComparison.Ordinal);
        await using var connection = await db.Connections.OpenAsync(CancellationToken.None);
        Assert.Equal(["a"], (await connection.QueryAsync<string>("SELECT operation_key FROM outbox")).ToList());
    }

    protected async Task Routing_MarkParked_KeepsTheReason()
    {
        await using var db = await NewDatabase().InitializeAsync();
        await using var store = NewStore(db);
        var appended = await store.AppendAsync(Event("p1", "{}"), CancellationToken.None);
        await new RoutingStore(db.Connections, TimeProvider.System).MarkParkedAsync(appended.EventId, "flows/x.yaml:3:7: boom", CancellationToken.None);
        var stored = await store.GetAsync(appended.EventId, CancellationToken.None);
        Assert.Equal(InboxEventState.Parked, stored!.State);
        Assert.Equal("flows/x.yaml:3:7: boom", stored.StateReason);
    }

    /// <summary>
    /// A router whose claim ran out while it mapped comes back after another router routed the event: its park, unmatched,
    /// awaiting-hydration or awaiting-read mark changes nothing (a park over "routed" would offer the operator a re-route
    /// of an event whose rows are already in the outbox).
    /// </summary>
    protected async Task Routing_MarksOfAnEventNoLongerNew_LeaveItAsItIs()
    {
        await using var db = await NewDatabase().InitializeAsync();
        await using var store = NewStore(db);
        var routing = new RoutingStore(db.Connections, TimeProvider.System);
        var routed = (await store.AppendAsync(Event("r1", "{}"), CancellationToken.None)).EventId;
        await routing.CommitRoutedAsync(routed, [Row(routed, "a", "p1")], CancellationToken.None);

        Assert.False(await routing.MarkParkedAsync(routed, "flows/x.yaml:3:7: boom", CancellationToken.None));
        Assert.False(await routing.MarkUnmatchedAsync(routed, "no flow takes Thing", CancellationToken.None));
        Assert.False(await routing.MarkAwaitingHydrationAsync(routed, "needs the job's line items", CancellationToken.None));
        var enrichment = new EnrichmentStore(db.Connections, TimeProvider.System);
        Assert.Equal(1, await enrichment.CountFailedReadAsync(routed, CancellationToken.None));
        await using (var connection = await db.Connections.OpenAsync(CancellationToken.None))
            await connection.ExecuteAsync("UPDATE enrichment_retry SET next_attempt_at = 7 WHERE inbox_event_id = @routed", new { routed });
        Assert.False(await enrichment.MarkAwaitingReadAsync(routed, "read failed", DateTimeOffset.UtcNow.AddMinutes(1), CancellationToken.None));
        await using (var connection = await db.Connections.OpenAsync(CancellationToken.None))
            Assert.Equal(7, await connection.ExecuteScalarAsync<long>("SELECT next_attempt_at FROM enrichment_retry WHERE inbox_event_id = @routed", new { routed }));

        var stored = await store.GetAsync(routed, CancellationToken.None);
        Assert.Equal((InboxEventState.Routed, (string?)null), (stored!.State, stored.StateReason));
        // A new event is marked as before.
        var fresh = (await store.AppendAsync(Event("r2", "{}"), CancellationToken.None)).EventId;
        Assert.True(await routing.MarkUnmatchedAsync(fresh, "no flow takes Thing", CancellationToken.None));
        Assert.Equal(InboxEventState.Unmatched, (await store.GetAsync(fresh, CancellationToken.None))!.State);
    }

    private static InboxStore NewStore(TestDatabase db) => new(db.Connections, db.Options, NullLogger<InboxStore>.Instance);

    internal static NewInboxEvent Event(string key, string body) => new(
        "test", key, DateTimeOffset.UtcNow, "application/json",
        new Dictionary<string, string> { ["Content-Type"] = "application/json" }, Encoding.UTF8.GetBytes(body));

    internal static NewOutboxRow Row(long eventId, string operationKey, string partition, string revision = "rev1") => new()
    {
        Id = OutboxRowKey.Compute(eventId, "flow", operationKey, revision),
        InboxEventId = eventId,
        Flow = "flow",
        OperationKey = operationKey,
        MappingRevision = revision,
        Connector = "http",
        Operation = "create",
        ObjectType = "Thing",
        IdempotencyKey = "thing-1",
        PartitionKey = partition,
        Payload = """{"fields":{}}""",
    };
}
