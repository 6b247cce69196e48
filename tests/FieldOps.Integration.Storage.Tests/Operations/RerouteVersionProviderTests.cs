using System.Text.Json;
using Dapper;
using FieldOps.Integration.Core.Operations;
using FieldOps.Integration.Core.Outbox;
using FieldOps.Integration.Core.Routing;
using FieldOps.Integration.Storage.Inbox;
using FieldOps.Integration.Storage.Operations;
using FieldOps.Integration.Storage.Outbox;
using FieldOps.Integration.Storage.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;

namespace FieldOps.Integration.Storage.Tests.Operations;

/// <summary>
/// A re-route's rows that replace none go to the end of their keys' order: refused when a newer version of the event's
/// record was accepted from another event since (they would overwrite it), checked in the commit's transaction under the
/// router's order lock. The record is the one the ledger holds for the event — a hydrated event's, under the source's
/// own names — and its envelope's claim. A replacement whose partition key changed goes to the end of its new key too.
/// </summary>
public sealed class RerouteVersionProviderTests
{
    private const string Source = "jobber";

    [Fact]
    public Task Reroute_AfterANewerVersion_RefusesRowsAtTheEndOfTheOrder_Sqlite() => RunAsync(new SqliteTestDatabase());

    [PostgresFact]
    public Task Reroute_AfterANewerVersion_RefusesRowsAtTheEndOfTheOrder_Postgres() => RunAsync(new PostgresTestDatabase());

    [SqlServerFact]
    public Task Reroute_AfterANewerVersion_RefusesRowsAtTheEndOfTheOrder_SqlServer() => RunAsync(new SqlServerTestDatabase());

    private static async Task RunAsync(TestDatabase database)
    {
        await using var db = await database.InitializeAsync();
        await using var inbox = new InboxStore(db.Connections, db.Options, NullLogger<InboxStore>.Instance);
        var store = new OperationsStore(db.Connections, inbox, TimeProvider.System);
        await using var connection = await db.Connections.OpenAsync(CancellationToken.None);
        var older = await AddEventAsync(db, connection, "e1");
        var newer = await AddEventAsync(db, connection, "e2");
        var unrecorded = await AddEventAsync(db, connection, "e3");
        // As the hydrator records a Jobber client's versions: under the source's names, not the envelope's (Customer).
        await RecordAsync(connection, "Client", "Z1", 1_000, older);
        await RecordAsync(connection, "Client", "Z1", 2_000, newer);
        await RecordAsync(connection, "Customer", "Q1", 2_000, newer);
        var dead = Row(older, "a", "rev1");
        await new RoutingStore(db.Connections, TimeProvider.System).CommitRoutedAsync(older, [dead], CancellationToken.None);
        await connection.ExecuteAsync("UPDATE outbox SET state = 'dead', completed_at = 5000 WHERE id = @id", new { id = dead.Id });
        // The envelope names the record as the mapping sees it: nothing is recorded under it for the older event.
        var claim = new RerouteVersion(Source, new EntityVersionClaim(Source, "Customer", "Z1", DateTimeOffset.FromUnixTimeMilliseconds(1_000), "CLIENT_UPDATE"));

        var reason = await store.FindNewerVersionAsync(older, claim, CancellationToken.None);
        Assert.StartsWith($"a newer version of Client Z1 was accepted since (inbox event {newer})", reason, StringComparison.Ordinal);
        var appended = Row(older, "b", "rev2");
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            store.CommitRerouteAsync(older, [new ReroutedRow(appended, null)], CancellationToken.None, version: claim));
        Assert.Equal(reason + "; nothing was written", refused.Message);
        Assert.Null(await store.GetOperationAsync(appended.Id, CancellationToken.None));

        // A replacement whose partition key changed has no place in its new key's order: it goes to the end, so it is refused too.
        var rekeyed = Row(older, "a", "rev2") with { PartitionKey = "http:client:z1-moved" };
        Assert.Equal(refused.Message, (await Assert.ThrowsAsync<InvalidOperationException>(() =>
            store.CommitRerouteAsync(older, [new ReroutedRow(rekeyed, dead.Id)], CancellationToken.None, version: claim))).Message);
        Assert.Equal("dead", (await store.GetOperationAsync(dead.Id, CancellationToken.None))!.State);
        // A replacement takes the dead row's place, ahead of the newer change's rows: safe, written.
        var replacement = Row(older, "a", "rev2");
        Assert.Equal(1, await store.CommitRerouteAsync(older, [new ReroutedRow(replacement, dead.Id)], CancellationToken.None, version: claim));
        // The newer event is not newer than itself; an event the ledger holds nothing for is judged by its envelope's claim.
        Assert.Null(await store.FindNewerVersionAsync(newer, claim, CancellationToken.None));
        var q1 = new RerouteVersion(Source, new EntityVersionClaim(Source, "Customer", "Q1", DateTimeOffset.FromUnixTimeMilliseconds(1_500), "CLIENT_UPDATE"));
        Assert.StartsWith($"a newer version of Customer Q1 was accepted since (inbox event {newer})",
            await store.FindNewerVersionAsync(unrecorded, q1, CancellationToken.None), StringComparison.Ordinal);
        Assert.Null(await store.FindNewerVersionAsync(unrecorded, new RerouteVersion(Source, null), CancellationToken.None));
        // Recorded under the source's names, while the newer change was recorded under the envelope's: the claim finds it.
        var hydrated = await AddEventAsync(db, connection, "e4");
        await RecordAsync(connection, "Client", "W1", 1_000, hydrated);
        await RecordAsync(connection, "Customer", "W1", 2_000, newer);
        var w1 = new RerouteVersion(Source, new EntityVersionClaim(Source, "Customer", "W1", DateTimeOffset.FromUnixTimeMilliseconds(1_000), "CLIENT_UPDATE"));
        Assert.StartsWith($"a newer version of Customer W1 was accepted since (inbox event {newer})",
            await store.FindNewerVersionAsync(hydrated, w1, CancellationToken.None), StringComparison.Ordinal);
    }

    /// <summary>
    /// On PostgreSQL a re-route that appends rows takes the router's order lock first: else its row's seq, taken from the
    /// sequence before a router's commit, could commit after the router's higher ones, which a worker may have delivered
    /// already — the older change after the newer.
    /// </summary>
    [PostgresFact]
    public async Task Reroute_AppendingRows_WaitsForTheRoutersOrderLock_Postgres()
    {
        await using var db = await new PostgresTestDatabase().InitializeAsync();
        await using var inbox = new InboxStore(db.Connections, db.Options, NullLogger<InboxStore>.Instance);
        var store = new OperationsStore(db.Connections, inbox, TimeProvider.System);
        await using var router = await db.Connections.OpenAsync(CancellationToken.None);
        var eventId = await AddEventAsync(db, router, "e1");
        await using var holding = await router.BeginTransactionAsync();
        await router.ExecuteAsync(db.Connections.Dialect.OutboxSeqOrderLock!, transaction: holding);

        var reroute = store.CommitRerouteAsync(eventId, [new ReroutedRow(Row(eventId, "a", "rev2"), null)], CancellationToken.None);
        var first = await Task.WhenAny(reroute, Task.Delay(TimeSpan.FromMilliseconds(500)));

        Assert.NotSame(reroute, first);
        await holding.RollbackAsync();
        Assert.Equal(1, await reroute.WaitAsync(TimeSpan.FromSeconds(30)));
    }

    private static Task<long> AddEventAsync(TestDatabase db, System.Data.Common.DbConnection connection, string key) =>
        connection.ExecuteScalarAsync<long>(
            db.Connections.Dialect.InsertReturning("inbox", ["source", "dedup_key", "received_at", "headers", "body", "state"],
                ["@source", "@key", "0", "'{}'", "@body", "'new'"], "id"),
            new { source = Source, key, body = "{}"u8.ToArray() });

    private static Task<int> RecordAsync(System.Data.Common.DbConnection connection, string entityType, string entityId, long version, long eventId) =>
        connection.ExecuteAsync(
            "INSERT INTO entity_version (source, entity_type, entity_id, source_version, topic, inbox_event_id, recorded_at) " +
            "VALUES (@source, @entityType, @entityId, @version, 'CLIENT_UPDATE', @eventId, 0)",
            new { source = Source, entityType, entityId, version, eventId });

    private static NewOutboxRow Row(long eventId, string key, string revision) => new()
    {
        Id = OutboxRowKey.Compute(eventId, "f", key, revision), InboxEventId = eventId, Flow = "f", OperationKey = key, MappingRevision = revision,
        Connector = "http", Operation = "upsert", ObjectType = "Client", IdempotencyKey = "client-z1-" + key, PartitionKey = "http:client:z1",
        Payload = JsonSerializer.Serialize(new { fields = new { name = key } }), SourceFile = "flows/f.yaml",
    };
}
