using System.Data;
using System.Data.Common;
using FieldOps.Integration.Core.Storage;

namespace FieldOps.Integration.Storage.Dialects;

/// <summary>
/// SQLite: one writer at a time, so a claim or a <c>MAX(seq) + 1</c> inside a write transaction is already
/// serialised (Microsoft.Data.Sqlite begins non-deferred transactions with <c>BEGIN IMMEDIATE</c>).
/// </summary>
public sealed partial class SqliteDialect : SqlDialect
{
    public static SqliteDialect Instance { get; } = new();

    public override StoreProvider Provider => StoreProvider.Sqlite;

    public override string NextOutboxSeq => "(SELECT COALESCE(MAX(seq), 0) + 1 FROM outbox)";

    public override string Unindexed(string column) => "+" + column;

    /// <summary>
    /// One row per statement, the statement prepared once per transaction and run again per row. A multi-row insert
    /// inside a transaction keeps a statement journal, which SQLite spills to a temporary file past 64 KiB (a job's 13
    /// rows wrote twice their own size there), and Microsoft.Data.Sqlite binds each parameter by looking its name up in
    /// the statement (a linear walk: ~22,000 name comparisons for 13 rows). Router bench: 60 KB instead of 177 KB written
    /// per event, 1.15x events/s (bench/RESULTS.md, session 15).
    /// </summary>
    public override int RowsPerInsert => 1;

    public override int KeysPerLookup => 1;

    public override OutboxSeqCursor OpenOutboxSeq(DbConnection connection, DbTransaction transaction) => new CountingOutboxSeqCursor(connection, transaction);

    public override async Task<DbTransaction> BeginMigrationAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        // BEGIN IMMEDIATE: the write lock is ours from here.
        return await connection.BeginTransactionAsync(IsolationLevel.Serializable, cancellationToken).ConfigureAwait(false);
    }
}
