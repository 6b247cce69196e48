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
    private readonly TestStore _store = new();

    [Fact]
    public async Task Claim_WalksTheConnectorsOpenRowsInSeqOrder_NoSortNoScan()
    {
        var plan = await PlanAsync(Queries("Claim"), new { Connector = "http", Now = 0L, Until = 0L, Owner = "w", Max = 8, Paused = NoPausedButOne });

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

        Assert.Contains(plan, line => line.Contains("INDEX ix_outbox_dead_key", StringComparison.Ordinal));
        AssertNoScan(plan);
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

    private static Type QueriesType =>
        typeof(SqliteDialect).Assembly.GetType("FieldOps.Integration.Storage.Outbox.OutboxQueries", throwOnError: true)!;

    private static string Queries(string property) =>
        (string)QueriesType.GetProperty(property)!.GetValue(Activator.CreateInstance(QueriesType, BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance,
            null, [SqliteDialect.Instance], null))!;

    private static string Constant(string name) => (string)QueriesType.GetField(name)!.GetRawConstantValue()!;
}
