using System.Data.Common;
using System.Reflection;
using Dapper;
using FieldOps.Integration.Storage.CrossReferences;
using FieldOps.Integration.Storage.Dialects;
using FieldOps.Integration.Storage.Tests.Infrastructure;

namespace FieldOps.Integration.Storage.Tests.CrossReferences;

/// <summary>
/// Issue 15: a cross-reference lookup by source id reads one entry of the primary key, however many cross-references the
/// table holds and whether or not it has statistics yet. On PostgreSQL, before migration 0270, a table not yet analysed
/// (a new install's first catch-up, every load run) planned the lookup onto ix_xref_target and filtered every row of the
/// system and object type: 0.35 ms at 12,000 rows and linear in the table, against 0.02 ms.
/// </summary>
public sealed class CrossReferenceQueryPlanTests
{
    [Fact]
    public Task Lookups_OnSqlite_TakeTheIndexOfTheirColumns() => RunAsync(new SqliteTestDatabase(), "EXPLAIN QUERY PLAN ", "sqlite_autoindex_xref_1");

    [PostgresFact]
    public Task Lookups_OnPostgresBeforeStatistics_TakeTheIndexOfTheirColumns() => RunAsync(new PostgresTestDatabase(), "EXPLAIN ", "xref_pkey");

    private static async Task RunAsync(TestDatabase database, string explain, string primaryKey)
    {
        await using var db = await database.InitializeAsync();
        await using var connection = await db.Connections.OpenAsync(CancellationToken.None);
        if (db.Connections.Provider == Core.Storage.StoreProvider.Postgres)
            await connection.ExecuteAsync("ALTER TABLE xref SET (autovacuum_enabled = false)");
        var save = Save(db.Connections.Dialect);
        // 12,000 cross-references over four systems and four object types, as a drain of 2,000 jobs leaves them.
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            for (var i = 0; i < 12_000; i++)
            {
                await connection.ExecuteAsync(save, new
                {
                    System = Systems[i % 4], ObjectType = Types[i / 4 % 4], SourceId = "Z2lkOi8vSm9iYmVyL0NsaWVudC8" + i, TargetId = "T" + i, Now = 0L,
                }, transaction);
            }
            await transaction.CommitAsync();
        }

        var bySource = await PlanAsync(connection, explain + FindSql, new { system = "hubspot", objectType = "Contact", sourceId = "Z2lkOi8vSm9iYmVyL0NsaWVudC81" });
        var manyBySource = await PlanAsync(connection, explain + FindMany(2),
            new { s0 = "hubspot", t0 = "Contact", i0 = "Z2lkOi8vSm9iYmVyL0NsaWVudC81", s1 = "salesforce", t1 = "Account", i1 = "Z2lkOi8vSm9iYmVyL0NsaWVudC84" });
        var byTarget = await PlanAsync(connection, explain + FindSourceSql, new { system = "hubspot", objectType = "Contact", targetId = "T5" });

        Assert.Contains(primaryKey, bySource, StringComparison.Ordinal);
        Assert.DoesNotContain("ix_xref_target", bySource, StringComparison.Ordinal);
        Assert.Contains(primaryKey, manyBySource, StringComparison.Ordinal);
        Assert.DoesNotContain("ix_xref_target", manyBySource, StringComparison.Ordinal);
        Assert.Contains("ix_xref_target", byTarget, StringComparison.Ordinal);
    }

    private static readonly string[] Systems = ["salesforce", "hubspot", "quickbooks", "bamboohr"];
    private static readonly string[] Types = ["Account", "Contact", "Customer", "Deal"];

    private static async Task<string> PlanAsync(DbConnection connection, string sql, object parameters)
    {
        var rows = await connection.QueryAsync(sql, parameters);
        var plan = string.Join("\n", rows.Select(r => string.Join(" ", ((IDictionary<string, object>)r).Values)));
        Assert.False(string.IsNullOrWhiteSpace(plan));
        return plan;
    }

    // The store's own statements (internal or private to it).
    private static string FindSql => (string)typeof(CrossReferenceStore).GetField("FindSql", BindingFlags.NonPublic | BindingFlags.Static)!.GetValue(null)!;

    private static string FindSourceSql => (string)typeof(CrossReferenceStore).GetField("FindSourceSql", BindingFlags.NonPublic | BindingFlags.Static)!.GetValue(null)!;

    private static readonly Type SqlType = typeof(CrossReferenceStore).Assembly.GetType("FieldOps.Integration.Storage.CrossReferences.CrossReferenceSql", throwOnError: true)!;

    private static string FindMany(int count) => (string)SqlType.GetMethod("FindMany")!.Invoke(null, [count])!;

    private static string Save(SqlDialect dialect) => (string)SqlType.GetMethod("Save")!.Invoke(null, [dialect])!;
}
