using Dapper;
using FieldOps.Integration.Core.Mapping.TargetSchemas;
using FieldOps.Integration.Storage.Inbox;
using FieldOps.Integration.Storage.Mapping;
using FieldOps.Integration.Storage.Operations;
using FieldOps.Integration.Storage.Outbox;
using FieldOps.Integration.Storage.Tests.Infrastructure;
using FieldOps.Integration.Testing.Stores;
using Microsoft.Extensions.Logging.Abstractions;

namespace FieldOps.Integration.Storage.Tests.Dialects;

/// <summary>
/// The statements whose grammar comes from the dialect's upsert (readiness probe, target-schema cache, failed enrich
/// reads) and the throughput grouping, run on each provider: twice each, so the conflict branch runs too.
/// </summary>
public sealed class DialectWritesProviderTests
{
    [Fact]
    public Task Upserts_AndThroughput_WorkOnSqlite() => RunAsync(new SqliteTestDatabase());

    [PostgresFact]
    public Task Upserts_AndThroughput_WorkOnPostgres() => RunAsync(new PostgresTestDatabase());

    private static async Task RunAsync(TestDatabase database)
    {
        await using var db = await database.InitializeAsync();

        var health = new StoreHealth(db.Connections, TimeProvider.System);
        Assert.Null(await health.CheckAsync(CancellationToken.None));
        Assert.Null(await health.CheckAsync(CancellationToken.None));
        Assert.Equal(1, await TestRows.ScalarAsync<long>(db.Connections, "SELECT COUNT(*) FROM store_probe"));

        var cache = new TargetSchemaCacheStore(db.Connections);
        var at = DateTimeOffset.FromUnixTimeMilliseconds(1_000);
        await cache.SaveAsync(new CachedTargetSchema("hubspot", "contacts", "{\"v\":1}", at), CancellationToken.None);
        await cache.SaveAsync(new CachedTargetSchema("hubspot", "contacts", "{\"v\":2}", at.AddSeconds(5)), CancellationToken.None);
        var cached = Assert.Single(await cache.ListAsync(CancellationToken.None));
        Assert.Equal(("{\"v\":2}", at.AddSeconds(5)), (cached.Body, cached.FetchedAt));

        var rows = await TestRows.AddAsync(db.Connections, new TestRow("p1", new { a = 1 }));
        var enrichment = new EnrichmentStore(db.Connections, TimeProvider.System);
        Assert.Equal(1, await enrichment.CountFailedReadAsync(rows[0].InboxEventId, CancellationToken.None));
        Assert.Equal(2, await enrichment.CountFailedReadAsync(rows[0].InboxEventId, CancellationToken.None));

        await using (var connection = await db.Connections.OpenAsync(CancellationToken.None))
        {
            foreach (var (startedAt, outcome) in new[] { (10_000L, "Delivered"), (10_500L, "Transient"), (70_000L, "Delivered") })
            {
                await connection.ExecuteAsync(
                    "INSERT INTO outbox_attempt (outbox_id, attempt, started_at, duration_ms, outcome) VALUES (@id, 1, @startedAt, 5, @outcome)",
                    new { id = rows[0].Id, startedAt, outcome });
            }
        }
        await using var inbox = new InboxStore(db.Connections, db.Options, NullLogger<InboxStore>.Instance);
        var store = new OperationsStore(db.Connections, inbox, TimeProvider.System);
        var buckets = await store.GetThroughputAsync(DateTimeOffset.FromUnixTimeMilliseconds(0), TimeSpan.FromMinutes(1), CancellationToken.None);
        Assert.Equal([(0L, 1L, 1L), (60_000L, 1L, 0L)],
            buckets.OrderBy(b => b.Start).Select(b => (b.Start.ToUnixTimeMilliseconds(), b.Delivered, b.Failed)));
    }
}
