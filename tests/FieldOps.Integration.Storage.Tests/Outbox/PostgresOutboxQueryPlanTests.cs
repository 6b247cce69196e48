using System.Reflection;
using Dapper;
using FieldOps.Integration.Storage.Dialects;
using FieldOps.Integration.Storage.Tests.Infrastructure;

namespace FieldOps.Integration.Storage.Tests.Outbox;

/// <summary>
/// Issue 15, PostgreSQL: the dispatcher's claim walks the open rows in seq order, whatever the delivered history before
/// them. With ix_outbox_claimable (connector, seq) alone, PostgreSQL's planner walked ux_outbox_seq instead (it costs
/// an index's heap visits by its first column's correlation, and connector has none) and read every delivered row
/// before the first open one: 73 ms per claim at 30,000 delivered and 20,000 open rows, against 0.3 ms (migration 0250).
/// </summary>
public sealed class PostgresOutboxQueryPlanTests : IAsyncLifetime, IAsyncDisposable
{
    private readonly PostgresTestDatabase _database = new();

    public async Task InitializeAsync()
    {
        if (PostgresTestDatabase.AdminConnectionString is not null)
            await _database.InitializeAsync();
    }

    [PostgresFact]
    public async Task Claim_AfterALongDeliveredHistory_WalksTheOpenRowsInSeqOrder()
    {
        await using var connection = await _database.Connections.OpenAsync(CancellationToken.None);
        // A busy month: 30,000 rows delivered, then a backlog of 20,000 open ones, four connectors, a key per job and connector.
        await connection.ExecuteAsync("""
            INSERT INTO inbox (source, dedup_key, received_at, headers, body, state) VALUES ('jobber', 'plan', 0, '{}', '\x00', 'routed');
            INSERT INTO outbox (id, inbox_event_id, flow, operation_key, mapping_revision, connector, operation, object_type, idempotency_key,
                                partition_key, payload, state, created_at, next_attempt_at, completed_at)
            SELECT 'r' || g, (SELECT MIN(id) FROM inbox), 'f', 'op' || (g % 13), 'rev', (ARRAY['salesforce', 'hubspot', 'quickbooks', 'bamboohr'])[1 + g % 4],
                   'upsert', 'Thing', 'k' || g, 'job:' || (g / 13) || ':' || (g % 4), '{}',
                   CASE WHEN g <= 30000 THEN 'delivered' ELSE 'pending' END, 0, 0, CASE WHEN g <= 30000 THEN 1 END
            FROM generate_series(1, 50000) g;
            ANALYZE outbox;
            """);

        var plan = (await connection.QueryAsync<string>("EXPLAIN " + ClaimSql,
            new { Connector = "hubspot", Now = 10L, Until = 20L, Owner = "w", Max = 8, Paused = Array.Empty<string>() })).ToList();
        var text = string.Join("\n", plan);

        Assert.Contains("ix_outbox_open_seq", text, StringComparison.Ordinal);
        Assert.DoesNotContain("ux_outbox_seq", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Sort", text, StringComparison.Ordinal);
    }

    public async Task DisposeAsync()
    {
        if (PostgresTestDatabase.AdminConnectionString is not null)
            await _database.DisposeAsync();
    }

    async ValueTask IAsyncDisposable.DisposeAsync() => await DisposeAsync();

    private static string ClaimSql
    {
        get
        {
            var type = typeof(PostgresDialect).Assembly.GetType("FieldOps.Integration.Storage.Outbox.OutboxQueries", throwOnError: true)!;
            var queries = Activator.CreateInstance(type, BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance, null, [PostgresDialect.Instance], null);
            return (string)type.GetProperty("Claim")!.GetValue(queries)!;
        }
    }
}
