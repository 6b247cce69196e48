using FieldOps.Integration.Core.Storage;
using FieldOps.Integration.Storage.Dialects;
using FieldOps.Integration.Storage.Migrations;

namespace FieldOps.Integration.Storage.Tests.Migrations;

/// <summary>
/// Migration 0230 stands for the create script the Quartz assembly ships for the database, so the clustered
/// schedule's tables match the Quartz we run; SQLite (one process, the schedule in memory) creates nothing.
/// </summary>
public sealed class QuartzSchemaTests
{
    [Fact]
    public void Postgres_MigrationIsQuartzsScript_WithOurPrefix()
    {
        var sql = Quartz(PostgresDialect.Instance);
        Assert.Contains("CREATE TABLE IF NOT EXISTS qrtz_job_details", sql, StringComparison.Ordinal);
        Assert.Contains("qrtz_scheduler_state", sql, StringComparison.Ordinal);
        Assert.Contains("qrtz_locks", sql, StringComparison.Ordinal);
        Assert.DoesNotContain("{0}", sql, StringComparison.Ordinal);
        Assert.DoesNotContain("{1}", sql, StringComparison.Ordinal);
        Assert.DoesNotContain("quartz-schema:", sql, StringComparison.Ordinal);
        Assert.Single(PostgresDialect.Instance.Batches(sql));
    }

    [Fact]
    public void SqlServer_MigrationIsQuartzsScript_OneBatchAStatement()
    {
        var sql = Quartz(SqlServerDialect.Instance);
        var batches = SqlServerDialect.Instance.Batches(sql);
        Assert.True(batches.Count > 10, $"{batches.Count} batches");
        Assert.Contains(batches, b => b.Contains("CREATE TABLE qrtz_JOB_DETAILS", StringComparison.Ordinal));
        Assert.All(batches, b => Assert.DoesNotContain("{0}", b, StringComparison.Ordinal));
        Assert.All(batches, b => Assert.DoesNotContain("--;;", b, StringComparison.Ordinal));
    }

    [Fact]
    public void Sqlite_MigrationCreatesNothing()
    {
        var sql = Quartz(SqliteDialect.Instance);
        Assert.DoesNotContain("qrtz_", sql, StringComparison.Ordinal);
        Assert.Contains("SELECT 1;", sql, StringComparison.Ordinal);
    }

    [Fact]
    public void Expand_UnknownScript_SaysWhichOne_AndOtherFilesAreUnchanged()
    {
        var error = Assert.Throws<InvalidOperationException>(() => QuartzSchema.Expand("-- quartz-schema: create_nosuchdb.sql\n", null));
        Assert.Contains("create_nosuchdb.sql", error.Message, StringComparison.Ordinal);
        Assert.Equal("CREATE TABLE t (a INT);\n", QuartzSchema.Expand("CREATE TABLE t (a INT);\n", "GO"));
    }

    [Fact]
    public void EveryProvider_HasTheMigration()
    {
        foreach (var provider in Enum.GetValues<StoreProvider>())
            Assert.Contains(MigrationCatalog.For(provider), m => m.Version == 230 && m.Name == QuartzSchema.MigrationName);
    }

    private static string Quartz(SqlDialect dialect) => dialect.Migrations.Single(m => m.Name == QuartzSchema.MigrationName).Sql;
}
