using System.Data.Common;
using System.Text.RegularExpressions;
using Dapper;
using FieldOps.Integration.Core.Storage;

namespace FieldOps.Integration.Storage.Dialects;

/// <summary>
/// SQL Server (T-SQL): claims lock their candidates as they read them and pass rows another claimer holds
/// (<c>UPDLOCK, READPAST, ROWLOCK</c>) and return the claimed rows through <c>OUTPUT inserted.…</c>; insert-if-absent
/// lets the unique key decide and catches its violation (errors 2627 and 2601); upserts are <c>MERGE … WITH (HOLDLOCK)</c>
/// (a key-range lock from the match to the insert); row limits are <c>OFFSET … FETCH</c>; <c>seq</c> comes from a
/// sequence; migration files are split into batches on <c>GO</c> lines and serialise on an application lock.
/// </summary>
public sealed partial class SqlServerDialect : SqlDialect
{
    private const string MigrationLock = "fieldops-migrations";

    public static SqlServerDialect Instance { get; } = new();

    public override StoreProvider Provider => StoreProvider.SqlServer;

    public override string CreateSchemaVersionTable =>
        "IF OBJECT_ID(N'schema_version', N'U') IS NULL " +
        "CREATE TABLE schema_version (version INT NOT NULL CONSTRAINT pk_schema_version PRIMARY KEY, " +
        "name NVARCHAR(200) COLLATE Latin1_General_100_BIN2 NOT NULL, applied_at BIGINT NOT NULL)";

    public override string NextOutboxSeq => "NEXT VALUE FOR outbox_seq";

    public override string OutboxSeqOrderLock =>
        "EXEC sp_getapplock @Resource = N'fieldops-outbox-seq', @LockMode = 'Exclusive', @LockOwner = 'Transaction', @LockTimeout = -1";

    /// <summary>
    /// One statement per row (see <see cref="InsertManyIfAbsent"/>), each cheap; fewer per command than the default
    /// keeps a command's parameters (about 15 a row) far below SQL Server's 2,100.
    /// </summary>
    public override int RowsPerInsert => 25;

    // OFFSET … FETCH follows an ORDER BY, as Limit's callers write it.
    public override string Limit(string count) => $"OFFSET 0 ROWS FETCH NEXT ({count}) ROWS ONLY";

    // OFFSET … FETCH needs an ORDER BY; "(SELECT NULL)" orders by nothing in particular.
    public override string LimitUnordered(string count) => $"ORDER BY (SELECT NULL) {Limit(count)}";

    public override string ClaimRows(string table, string alias, string filter, string orderBy, string count, string set, IReadOnlyList<string> columns) =>
        // The candidates are update-locked as they are read (UPDLOCK), a row another claimer holds is passed, not
        // waited for (READPAST), and locks stay on rows (ROWLOCK) so the claimers do not block each other by page.
        $"WITH claim AS (SELECT TOP ({count}) {alias}.* FROM {table} {alias} WITH (UPDLOCK, READPAST, ROWLOCK) WHERE {filter} ORDER BY {orderBy}) " +
        $"UPDATE claim SET {set} OUTPUT {string.Join(", ", columns.Select(c => $"inserted.{c}"))};";

    /// <summary>
    /// The GO lines of a migration file end its batches (GO is a client's separator, not T-SQL: a batch may need the
    /// columns an earlier batch added).
    /// </summary>
    public override IReadOnlyList<string> Batches(string sql) => SplitOnGo(sql);

    public override string? BatchSeparator => "GO";

    public override Task<string> CompactAsync(IDbConnectionFactory connections, double freeRatio, long minFreePages, CancellationToken cancellationToken) =>
        Task.FromResult("compaction left to the database (ghost cleanup and the DBA's index maintenance)");

    public override async Task<DbTransaction> BeginMigrationAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        // An exclusive application lock owned by the transaction, released by its commit or rollback; -1 waits.
        var status = await connection.ExecuteScalarAsync<int>(
            "DECLARE @status INT; EXEC @status = sp_getapplock @Resource = @Resource, @LockMode = 'Exclusive', @LockOwner = 'Transaction', " +
            "@LockTimeout = -1; SELECT @status;", new { Resource = MigrationLock }, transaction).ConfigureAwait(false);
        if (status < 0)
        {
            await transaction.DisposeAsync().ConfigureAwait(false);
            throw new InvalidOperationException($"SQL Server refused the migration lock (sp_getapplock returned {status}).");
        }
        return transaction;
    }

    /// <summary>The batches of <paramref name="sql"/>: the text between lines that hold only <c>GO</c> (any case), blank ones dropped.</summary>
    public static IReadOnlyList<string> SplitOnGo(string sql) =>
        GoLine().Split(sql ?? "").Where(b => !string.IsNullOrWhiteSpace(StripComments(b))).Select(b => b.Trim()).ToList();

    private static string StripComments(string batch) => LineComment().Replace(batch, "");

    [GeneratedRegex(@"^[ \t]*GO[ \t]*;?[ \t]*\r?$", RegexOptions.Multiline | RegexOptions.IgnoreCase)]
    private static partial Regex GoLine();

    [GeneratedRegex(@"--[^\n]*")]
    private static partial Regex LineComment();
}
