using System.Text.Json;
using Dapper;
using FieldOps.Integration.Core.Operations;
using FieldOps.Integration.Core.Outbox;
using FieldOps.Integration.Storage.Inbox;
using FieldOps.Integration.Storage.Operations;
using FieldOps.Integration.Storage.Outbox;
using FieldOps.Integration.Storage.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;

namespace FieldOps.Integration.Storage.Tests.Operations;

/// <summary>Every query and action of the operator's store, one body run on SQLite, PostgreSQL and SQL Server (the dialects differ).</summary>
public sealed class OperationsStoreProviderTests
{
    [Fact]
    public Task OperationsStore_EveryQueryAndAction_WorksOnSqlite() => RunAsync(new SqliteTestDatabase());

    [PostgresFact]
    public Task OperationsStore_EveryQueryAndAction_WorksOnPostgres() => RunAsync(new PostgresTestDatabase());

    [SqlServerFact]
    public Task OperationsStore_EveryQueryAndAction_WorksOnSqlServer() => RunAsync(new SqlServerTestDatabase());

    private static async Task RunAsync(TestDatabase database)
    {
        await using var db = await database.InitializeAsync();
        await using var inbox = new InboxStore(db.Connections, db.Options, NullLogger<InboxStore>.Instance);
        var store = new OperationsStore(db.Connections, inbox, TimeProvider.System);
        await using var connection = await db.Connections.OpenAsync(CancellationToken.None);
        var eventId = await connection.ExecuteScalarAsync<long>(
            db.Connections.Dialect.InsertReturning("inbox", ["source", "dedup_key", "received_at", "headers", "body", "state"],
                ["'shop'", "'k'", "0", "'{}'", "@body", "'new'"], "id"),
            new { body = "{}"u8.ToArray() });
        NewOutboxRow Row(string key, string partition) => new()
        {
            Id = OutboxRowKey.Compute(eventId, "f", key, "rev1"), InboxEventId = eventId, Flow = "f", OperationKey = key, MappingRevision = "rev1",
            Connector = "http", Operation = "upsert", ObjectType = "Thing", IdempotencyKey = key, PartitionKey = partition,
            Payload = JsonSerializer.Serialize(new { fields = new { name = key } }), SourceFile = "flows/f.yaml",
        };
        var rows = new[] { Row("a", "p1"), Row("b", "p1"), Row("c", "p2"), Row("d", "p3") };
        await new RoutingStore(db.Connections, TimeProvider.System).CommitRoutedAsync(eventId, rows, CancellationToken.None);
        foreach (var (id, cls) in new[] { (rows[0].Id, "Permanent"), (rows[2].Id, "Transient") })
        {
            await connection.ExecuteAsync("UPDATE outbox SET state = 'dead', completed_at = 5000, dead_reason = @reason WHERE id = @id",
                new { id, reason = cls + ": refused [flow 'f']" });
        }
        await connection.ExecuteAsync("UPDATE outbox SET state = 'blocked' WHERE id = @id", new { id = rows[1].Id });

        Assert.Equal(2, (await store.ListDeadLettersAsync(DeadLetterFilter.All, 10, null, CancellationToken.None)).Count);
        var permanent = new DeadLetterFilter("http", "f", "Permanent", DateTimeOffset.FromUnixTimeMilliseconds(4000), DateTimeOffset.FromUnixTimeMilliseconds(6000));
        Assert.Equal([rows[0].Id], (await store.ListDeadLettersAsync(permanent, 10, null, CancellationToken.None)).Select(d => d.Id));
        var groups = await store.GroupDeadLettersAsync(DeadLetterFilter.All, CancellationToken.None);
        Assert.Equal(["Permanent", "Transient"], groups.Select(g => g.ErrorClass).Order());
        Assert.Equal([rows[2].Id], await store.FindDeadLetterIdsAsync(DeadLetterFilter.All with { ErrorClass = "Transient" }, 10, CancellationToken.None));
        Assert.Equal(3, (await store.CountHeldAsync(CancellationToken.None)).Sum(h => h.Count));
        Assert.Equal(1, Assert.Single(await store.GetBacklogAsync(CancellationToken.None)).Pending);
        Assert.Empty(await store.ListTokenStatesAsync(CancellationToken.None));

        Assert.Equal(1, await store.ReplayAsync([rows[2].Id, rows[3].Id], "test", CancellationToken.None));
        var fixedRow = Row("a", "p1") with { Id = OutboxRowKey.Compute(eventId, "f", "a", "rev2"), MappingRevision = "rev2" };
        var oldSeq = (await store.GetOperationAsync(rows[0].Id, CancellationToken.None))!.Seq;
        Assert.Equal(1, await store.CommitRerouteAsync(eventId, [new ReroutedRow(fixedRow, rows[0].Id)], CancellationToken.None));
        var replacement = (await store.GetOperationAsync(fixedRow.Id, CancellationToken.None))!;
        Assert.Equal((oldSeq, rows[0].Id, "pending"), (replacement.Seq, replacement.ReplayOf, replacement.State));
        Assert.Equal("pending", (await store.GetOperationAsync(rows[1].Id, CancellationToken.None))!.State);
        await Assert.ThrowsAsync<InvalidOperationException>(() => store.CommitRerouteAsync(eventId, [new ReroutedRow(Row("a", "p1") with { Id = "x" }, rows[0].Id)], CancellationToken.None));
        Assert.False(await store.DiscardAsync(rows[3].Id, "not dead", CancellationToken.None));

        var life = (await store.GetEventLifeAsync(eventId, CancellationToken.None))!;
        Assert.Equal(5, life.Operations.Count);
        Assert.Equal([OperationActions.Replay, OperationActions.Superseded], life.Actions.Select(a => a.Action));
        Assert.Equal("discarded", life.Operations.Single(o => o.Id == rows[0].Id).State);
    }
}
