using System.Reflection;
using Dapper;
using FieldOps.Integration.Storage.Dialects;
using FieldOps.Integration.Testing.Stores;

namespace FieldOps.Integration.Storage.Tests.Outbox;

/// <summary>
/// Issue 15: the dispatcher's statements that run under SQLite's one write lock must not read the whole outbox. Before
/// migration 0240 the claim read, checked and sorted every due row of its connector (16–35 ms at a backlog of 10,000
/// rows, four times per dispatcher pass, while the intake's acknowledgements waited for the lock), and lease renewal
/// scanned the table. SQLite's planner, with no statistics (we never run ANALYZE), is asked for each statement's plan.
/// </summary>
public sealed class OutboxQueryPlanTests : IDisposable
{
    private static readonly string[] NoPausedButOne = ["x"];
    private static readonly string[] TwoIds = ["x", "y"];
    private readonly TestStore _store = new();

    [Theory]
    [InlineData("Claim")]
    [InlineData("ClaimUnpaused")]
    public async Task Claim_WalksTheConnectorsOpenRowsInSeqOrder_NoSortNoScan(string claim)
    {
        var plan = await PlanAsync(Queries(claim), new { Connector = "http", Now = 0L, Until = 0L, Owner = "w", Max = 8, Paused = NoPausedButOne });

        Assert.Contains(plan, line => line.Contains("INDEX ix_outbox_claimable", StringComparison.Ordinal));
        Assert.Contains(plan, line => line.Contains("INDEX ix_outbox_partition_open", StringComparison.Ordinal));
        Assert.DoesNotContain(plan, line => line.Contains("TEMP B-TREE", StringComparison.Ordinal));
        AssertNoScan(plan);
    }

    [Theory]
    [InlineData("RenewLeases")]
    [InlineData("CountLeases")]
    public async Task LeaseStatements_ReadTheOwnersLeasedRowsOnly(string constant)
    {
        var plan = await PlanAsync(Constant(constant), new { Owner = "w", Now = 0L, Until = 0L });

        Assert.Contains(plan, line => line.Contains("INDEX ix_outbox_leased", StringComparison.Ordinal));
        AssertNoScan(plan);
    }

    [Fact]
    public async Task BlockLateArrivals_LooksForADeadLetterByItsKey()
    {
        var plan = await PlanAsync(Constant("BlockLateArrivals"), new { Connector = "http" });

        Assert.Contains(plan, line => line.Contains("INDEX ix_outbox_claimable (connector=?)", StringComparison.Ordinal));
        Assert.Contains(plan, line => line.Contains("INDEX ix_outbox_dead_key", StringComparison.Ordinal));
        AssertNoScan(plan);
    }

    /// <summary>
    /// Migration 0260: the indexes that held state for every row (a delivery moved its row in six of them) now hold only
    /// the rows their queries read; each operator query still reads its rows from an index, most from the index alone.
    /// </summary>
    [Theory]
    [InlineData("Operations.OperationsQueries", "Backlog", "COVERING INDEX ix_outbox_claimable")]
    [InlineData("Operations.OperationsQueries", "Held", "COVERING INDEX ix_outbox_held")]
    [InlineData("Operations.OperationsQueries", "Blocked", "COVERING INDEX ix_outbox_held")]
    public async Task OperatorCounts_ReadTheirRowsFromAnIndexAlone(string type, string constant, string index)
    {
        var plan = await PlanAsync(Constant(type, constant), new { });

        Assert.Contains(plan, line => line.Contains(index, StringComparison.Ordinal));
        Assert.DoesNotContain(plan, line => line.Contains("SCAN outbox", StringComparison.Ordinal) && !line.Contains("INDEX", StringComparison.Ordinal));
    }

    /// <summary>
    /// Migration 0260 dropped <c>ix_outbox_partition</c> (a key's rows, finished ones too; its random-order keys dirtied a
    /// page per new row): the statements that read a key's rows read its unfinished ones from ix_outbox_partition_open,
    /// and the dead letter ahead of them from ix_outbox_dead_key.
    /// </summary>
    [Theory]
    [InlineData("BlockSuccessors")]
    [InlineData("ReleaseSuccessors")]
    [InlineData("OperatorReleaseSuccessors")]
    public async Task RowsOfAKey_AreReadFromItsUnfinishedRows(string statement)
    {
        var sql = statement == "OperatorReleaseSuccessors"
            ? Property("Operations.OperationsQueries", "ReleaseSuccessors")
            : Constant(statement);

        var plan = await PlanAsync(sql, new { Id = "x", Ids = TwoIds, PartitionKey = "k1", Now = 0L });

        Assert.Contains(plan, line => line.Contains("INDEX ix_outbox_partition_open (partition_key=?", StringComparison.Ordinal));
        Assert.DoesNotContain(plan, line => line.Contains("ux_outbox_seq", StringComparison.Ordinal));
        if (statement != "BlockSuccessors")
            Assert.Contains(plan, line => line.Contains("INDEX ix_outbox_dead_key (partition_key=? AND seq<?)", StringComparison.Ordinal));
        AssertNoScan(plan);
    }

    [Fact]
    public async Task EventsNamedBy_FindsTheRowsByTheirTargetOrSourceId()
    {
        var plan = await PlanAsync(Constant("Operations.OperationsQueries", "EventsNamedBy"), new { Term = "0012345" });

        Assert.Contains(plan, line => line.Contains("INDEX ix_outbox_target (target_id=?)", StringComparison.Ordinal));
        Assert.Contains(plan, line => line.Contains("INDEX ix_outbox_xref_source (xref_source_id=?)", StringComparison.Ordinal));
        AssertNoScan(plan);
    }

    [Theory]
    [InlineData("OutboxAttempts")]
    [InlineData("Outbox")]
    public async Task Retention_FindsTheFinishedRowsByTheirCompletionTime(string property)
    {
        var plan = await PlanAsync(Property("Sources.RetentionSql", property), new { outbox = 0L, batch = 100 });

        Assert.Contains(plan, line => line.Contains("INDEX ix_outbox_finished (completed_at<?)", StringComparison.Ordinal));
        AssertNoScan(plan);
    }

    [Fact]
    public async Task DeadLetters_ListedNewestFirst_WalkTheDeadRowsOnly()
    {
        var plan = await PlanAsync("SELECT id FROM outbox WHERE state = 'dead' ORDER BY seq DESC LIMIT 50", new { });

        Assert.Contains(plan, line => line.Contains("INDEX ix_outbox_dead_seq", StringComparison.Ordinal));
        Assert.DoesNotContain(plan, line => line.Contains("TEMP B-TREE", StringComparison.Ordinal));
    }

    public void Dispose() => _store.Dispose();

    private static void AssertNoScan(IReadOnlyList<string> plan) =>
        Assert.DoesNotContain(plan, line => line.TrimStart('|', '-', '`', ' ').StartsWith("SCAN ", StringComparison.Ordinal));

    private async Task<IReadOnlyList<string>> PlanAsync(string sql, object parameters)
    {
        await _store.AddRowsAsync(
            new TestRow("k1", new { n = 1 }), new TestRow("k1", new { n = 2 }), new TestRow("k2", new { n = 3 }));
        await using var connection = await _store.Connections.OpenAsync(CancellationToken.None);
        var rows = await connection.QueryAsync("EXPLAIN QUERY PLAN " + sql, parameters);
        var plan = rows.Select(r => (string)((IDictionary<string, object>)r)["detail"]).ToList();
        Assert.NotEmpty(plan);
        return plan;
    }

    private static Type StorageType(string name) =>
        typeof(SqliteDialect).Assembly.GetType("FieldOps.Integration.Storage." + name, throwOnError: true)!;

    // A statement of one of the storage's internal SQL holders, made for SQLite's dialect.
    private static string Property(string type, string property)
    {
        var holder = Activator.CreateInstance(StorageType(type), BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance, null, [SqliteDialect.Instance], null)!;
        return (string)holder.GetType().GetProperty(property)!.GetValue(holder)!;
    }

    private static string Queries(string property) => Property("Outbox.OutboxQueries", property);

    private static string Constant(string name) => Constant("Outbox.OutboxQueries", name);

    private static string Constant(string type, string name) => (string)StorageType(type).GetField(name)!.GetRawConstantValue()!;
}
