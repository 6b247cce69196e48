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

        await AssertClaimsWalkTheOpenRowsAsync(connection, "hubspot");
    }

    [PostgresFact]
    public async Task Claim_MidDrain_WithConnectorsAtDifferentPoints_WalksTheOpenRows()
    {
        await using var connection = await _database.Connections.OpenAsync(CancellationToken.None);
        // Statistics taken mid-drain: PostgreSQL's planner walked ux_outbox_seq from the first row and read every
        // delivered one (7,439 for Salesforce, 9-31 ms a claim, 44 s of the server's time in a 75 s drain) instead of
        // ix_outbox_open_seq (0.3-0.4 ms).
        await FillMidDrainAsync(connection, analyze: true);

        await AssertClaimsWalkTheOpenRowsAsync(connection, "salesforce", "quickbooks", "bamboohr", "hubspot");
    }

    [PostgresFact]
    public async Task Claim_MidDrain_BeforeTheTableHasStatistics_WalksTheOpenRows()
    {
        await using var connection = await _database.Connections.OpenAsync(CancellationToken.None);
        // A backlog that arrived faster than autovacuum's minute (a new install's first catch-up, every load run): with no
        // statistics the planner took ix_outbox_backlog, read all of the connector's open rows and sorted them (4,317
        // rows, 17.7 ms a claim) to return 8.
        await FillMidDrainAsync(connection, analyze: false);

        await AssertClaimsWalkTheOpenRowsAsync(connection, "salesforce", "hubspot");
    }

    [PostgresFact]
    public async Task Claim_BurstAfterAVacuumOfADrainedOutbox_LooksUpEachCandidatesKeyInTheIndex()
    {
        await using var connection = await _database.Connections.OpenAsync(CancellationToken.None);
        // Caught by auto_explain in a load run (12.3 ms a claim, 60 s of the server's time in a 2,000-job drain):
        // autovacuum had last seen the open rows' indexes (nearly) empty, so the planner expected one candidate and one
        // older row of its key, and checked each candidate's key by walking all of ix_outbox_partition_open (a join
        // filter, not an index condition): every open row, for every candidate. Here: a quiet hour's vacuum of an outbox
        // with everything delivered, then a burst that no analyse has seen.
        await FillMidDrainAsync(connection, analyze: false);
        await connection.ExecuteAsync("UPDATE outbox SET state = 'delivered', completed_at = 1");
        await connection.ExecuteAsync("VACUUM ANALYZE outbox");
        await connection.ExecuteAsync("""
            UPDATE outbox SET state = 'pending', completed_at = NULL
            WHERE seq > CASE connector WHEN 'salesforce' THEN 7300 WHEN 'hubspot' THEN 4450 WHEN 'quickbooks' THEN 6900 ELSE 11100 END
            """);

        foreach (var connector in new[] { "hubspot", "salesforce" })
        {
            var text = await ExplainClaimAsync(connection, connector);

            Assert.DoesNotContain("Join Filter", text, StringComparison.Ordinal);
            Assert.Matches(@"Index Cond: .*partition_key = o\.partition_key", text);
        }
    }

    // 2,000 jobs of 13 rows caught halfway through a drain, as the load driver left them: each connector has delivered up
    // to its own point (HubSpot, with 5 rows a job, furthest behind), so delivered and open rows alternate along seq.
    private static async Task FillMidDrainAsync(System.Data.Common.DbConnection connection, bool analyze)
    {
        await connection.ExecuteAsync((analyze ? "" : "ALTER TABLE outbox SET (autovacuum_enabled = false);\n") + """
            INSERT INTO inbox (source, dedup_key, received_at, headers, body, state) VALUES ('jobber', 'plan', 0, '{}', '\x00', 'routed');
            INSERT INTO outbox (id, inbox_event_id, flow, operation_key, mapping_revision, connector, operation, object_type, idempotency_key,
                                partition_key, payload, state, created_at, next_attempt_at, completed_at)
            SELECT 'r' || g, (SELECT MIN(id) FROM inbox), 'f', 'op' || (g % 13), 'rev', c, 'upsert', 'Thing', 'k' || g,
                   c || ':job:' || (g / 13), repeat('x', 250),
                   CASE WHEN g > delivered THEN 'pending' ELSE 'delivered' END, 0, 0, CASE WHEN g <= delivered THEN 1 END
            FROM (SELECT g, c, CASE c WHEN 'salesforce' THEN 7300 WHEN 'hubspot' THEN 4450 WHEN 'quickbooks' THEN 6900 ELSE 11100 END AS delivered
                  FROM (SELECT g, CASE WHEN g % 13 < 2 THEN 'bamboohr' WHEN g % 13 < 7 THEN 'hubspot' WHEN g % 13 < 10 THEN 'quickbooks' ELSE 'salesforce' END AS c
                        FROM generate_series(1, 26000) g) jobs) rows;
            """ + (analyze ? "\nANALYZE outbox;" : ""));
    }

    // Each connector's claim walks the open rows' index in seq order: not every row's (ux_outbox_seq), no sort.
    private static async Task AssertClaimsWalkTheOpenRowsAsync(System.Data.Common.DbConnection connection, params string[] connectors)
    {
        foreach (var connector in connectors)
        {
            var text = await ExplainClaimAsync(connection, connector);

            Assert.Contains("ix_outbox_open_seq", text, StringComparison.Ordinal);
            Assert.DoesNotContain("ux_outbox_seq", text, StringComparison.Ordinal);
            Assert.DoesNotContain("Sort", text, StringComparison.Ordinal);
        }
    }

    // The claim's plan as the store plans it: inside a transaction, after the dialect's settings for the claim.
    private static async Task<string> ExplainClaimAsync(System.Data.Common.DbConnection connection, string connector)
    {
        await using var transaction = await connection.BeginTransactionAsync();
        foreach (var setting in PostgresDialect.Instance.OutboxClaimSettings)
            await connection.ExecuteAsync(setting, transaction: transaction);
        var plan = await connection.QueryAsync<string>("EXPLAIN " + ClaimSql,
            new { Connector = connector, Now = 10L, Until = 20L, Owner = "w", Max = 8, Paused = Array.Empty<string>() }, transaction);
        await transaction.RollbackAsync();
        return string.Join("\n", plan);
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
