using FieldOps.Integration.Core.Storage;
using FieldOps.Integration.Storage.Dialects;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace FieldOps.Integration.Storage.Tests.Dialects;

/// <summary>
/// Offline checks of the SQL Server dialect (no server runs here): the statements it builds carry the locking the
/// design relies on and none of the other providers' grammar; <c>Store:Provider</c> picks it in the composition root.
/// </summary>
public sealed class SqlServerDialectTests
{
    private static readonly SqlServerDialect Dialect = SqlServerDialect.Instance;

    [Fact]
    public void ClaimRows_LocksCandidatesAsItReads_PassesRowsOthersHold_AndReturnsTheClaimedRows()
    {
        var sql = Dialect.ClaimRows("outbox", "o", "o.state = 'pending'", "o.seq", "@Max", "lease_owner = @Owner", ["id", "seq"]);
        Assert.Contains("SELECT TOP (@Max) o.* FROM outbox o WITH (UPDLOCK, READPAST, ROWLOCK) WHERE o.state = 'pending' ORDER BY o.seq", sql);
        Assert.Contains("UPDATE claim SET lease_owner = @Owner OUTPUT inserted.id, inserted.seq", sql);
        AssertTransactSql(sql);
    }

    [Fact]
    public void InsertIfAbsent_LetsTheUniqueKeyDecide_CatchingOnlyDuplicateKeyErrors_AndReadsTheRowBackByItsKey()
    {
        var sql = Dialect.InsertIfAbsent("inbox", ["source", "dedup_key", "body"], ["@Source", "@DedupKey", "@Body"], ["source", "dedup_key"], "id");
        Assert.StartsWith("BEGIN TRY INSERT INTO inbox (source, dedup_key, body) VALUES (@Source, @DedupKey, @Body);", sql);
        Assert.Contains("SELECT id FROM inbox WHERE source = @Source AND dedup_key = @DedupKey; END TRY", sql);
        Assert.Contains("BEGIN CATCH IF ERROR_NUMBER() NOT IN (2601, 2627) OR XACT_STATE() = -1 THROW; END CATCH;", sql);
        Assert.DoesNotContain("OUTPUT", sql); // an OUTPUT row may reach the client even when the statement then fails
        AssertTransactSql(sql);
    }

    [Fact]
    public void InsertManyIfAbsent_OneGuardedInsertPerRow_InTheRowsOrder()
    {
        var sql = Dialect.InsertManyIfAbsent("outbox", ["id", "seq"], [["@p0Id", Dialect.NextOutboxSeq], ["@p1Id", Dialect.NextOutboxSeq]], ["id"]);
        Assert.Equal(2, sql.Split("BEGIN TRY").Length - 1);
        Assert.True(sql.IndexOf("@p0Id", StringComparison.Ordinal) < sql.IndexOf("@p1Id", StringComparison.Ordinal));
        Assert.Contains("VALUES (@p0Id, NEXT VALUE FOR outbox_seq)", sql);
        AssertTransactSql(sql);
    }

    [Fact]
    public void Upsert_IsAMergeHoldingTheKeyRange_TerminatedBySemicolon()
    {
        var sql = Dialect.Upsert("xref", ["system", "source_id", "target_id"], ["@System", "@SourceId", "@TargetId"], ["system", "source_id"], ["target_id"]);
        Assert.Equal(
            "MERGE xref WITH (HOLDLOCK) USING (SELECT @System AS system, @SourceId AS source_id) AS s " +
            "ON xref.system = s.system AND xref.source_id = s.source_id WHEN MATCHED THEN UPDATE SET target_id = @TargetId " +
            "WHEN NOT MATCHED THEN INSERT (system, source_id, target_id) VALUES (@System, @SourceId, @TargetId);", sql);
        var counted = Dialect.UpsertSet("enrichment_retry", ["inbox_event_id", "attempts"], ["@id", "1"], ["inbox_event_id"],
            "attempts = enrichment_retry.attempts + 1");
        Assert.Contains("WHEN MATCHED THEN UPDATE SET attempts = enrichment_retry.attempts + 1 ", counted);
        AssertTransactSql(sql);
        AssertTransactSql(counted);
    }

    [Fact]
    public void Paging_InsertReturning_AndTheLedger_SpeakTransactSql()
    {
        Assert.Equal("OFFSET 0 ROWS FETCH NEXT (@Limit) ROWS ONLY", Dialect.Limit("@Limit"));
        Assert.Equal("ORDER BY (SELECT NULL) OFFSET 0 ROWS FETCH NEXT (@batch) ROWS ONLY", Dialect.LimitUnordered("@batch"));
        var insert = Dialect.InsertReturning("audit_log", ["at", "actor"], ["@At", "@Actor"], "id");
        Assert.Equal("INSERT INTO audit_log (at, actor) VALUES (@At, @Actor); SELECT CAST(SCOPE_IDENTITY() AS BIGINT) AS id;", insert);
        Assert.StartsWith("IF OBJECT_ID(N'schema_version', N'U') IS NULL CREATE TABLE schema_version", Dialect.CreateSchemaVersionTable);
        AssertTransactSql(insert);
        AssertTransactSql(Dialect.CreateSchemaVersionTable);
        Assert.Equal("NEXT VALUE FOR outbox_seq", Dialect.NextOutboxSeq);
    }

    [Theory]
    [InlineData("SqlServer", "Server=db;Database=fieldops;User Id=fieldops;Password=x", null)]
    [InlineData("sqlserver", "Data Source=tcp:db,1433;Initial Catalog=fieldops;Integrated Security=true", null)]
    [InlineData("SqlServer", null, "Store:ConnectionString: is required when Store:Provider is SqlServer.")]
    [InlineData("SqlServer", "Host=db;Username=fieldops", "Store:ConnectionString: is not a SQL Server connection string")]
    [InlineData("SqlServer", "Initial Catalog=fieldops", "Store:ConnectionString: names no Server (Data Source) for Store:Provider SqlServer.")]
    [InlineData("Oracle", null, "Store:Provider: 'Oracle' is not one of Sqlite, Postgres, SqlServer.")]
    public void Validator_AcceptsSqlServer_AndNamesTheKeyOtherwise(string provider, string? connectionString, string? problem)
    {
        var configuration = Configuration(new() { ["Store:Provider"] = provider, ["Store:ConnectionString"] = connectionString });
        var options = new StoreOptions { ConnectionString = connectionString };
        if (Enum.TryParse<StoreProvider>(provider, ignoreCase: true, out var parsed))
            options.Provider = parsed;
        var result = new StoreOptionsValidator(configuration).Validate(null, options);
        if (problem is null)
            Assert.True(result.Succeeded, result.FailureMessage);
        else
            Assert.StartsWith(problem, result.FailureMessage, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("00:00:30", null)]
    [InlineData("-00:00:01", "Store:BusyTimeout: '-00:00:01' must not be negative.")]
    [InlineData("30.00:00:00", "Store:BusyTimeout: '30.00:00:00' is longer than a day (1.00:00:00).")]
    public void Validator_BusyTimeout_NamesTheKeyWhenOutOfRange(string busyTimeout, string? problem)
    {
        var options = new StoreOptions { BusyTimeout = TimeSpan.Parse(busyTimeout, System.Globalization.CultureInfo.InvariantCulture) };
        var result = new StoreOptionsValidator(Configuration(new())).Validate(null, options);
        if (problem is null)
            Assert.True(result.Succeeded, result.FailureMessage);
        else
            Assert.Equal(problem, result.FailureMessage);
    }

    [Theory]
    [InlineData("Sqlite", typeof(SqliteDialect))]
    [InlineData("Postgres", typeof(PostgresDialect))]
    [InlineData("SqlServer", typeof(SqlServerDialect))]
    public async Task CompositionRoot_PicksTheDialectOnceFromStoreProvider(string provider, Type dialect)
    {
        var connectionString = provider switch
        {
            "Sqlite" => $"Data Source={Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N"), "f.db")}",
            "Postgres" => "Host=127.0.0.1;Database=none;Username=none",
            _ => "Server=127.0.0.1;Database=none",
        };
        var configuration = Configuration(new() { ["Store:Provider"] = provider, ["Store:ConnectionString"] = connectionString });
        await using var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration).AddLogging().AddFieldOpsStore().BuildServiceProvider();
        var connections = services.GetRequiredService<IStoreConnections>();
        Assert.IsType(dialect, connections.Dialect);
        Assert.Equal(Enum.Parse<StoreProvider>(provider), connections.Provider);
    }

    private static IConfiguration Configuration(Dictionary<string, string?> settings) => new ConfigurationBuilder().AddInMemoryCollection(settings).Build();

    private static void AssertTransactSql(string sql)
    {
        foreach (var foreign in new[] { "ON CONFLICT", "SKIP LOCKED", "RETURNING", "::", "LIMIT ", "excluded.", "FOR UPDATE", "nextval(" })
            Assert.DoesNotContain(foreign, sql, StringComparison.OrdinalIgnoreCase);
    }
}
