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

    public override OutboxSeqCursor OpenOutboxSeq(DbConnection connection, DbTransaction transaction) => new CountingOutboxSeqCursor(connection, transaction);

    public override async Task<DbTransaction> BeginMigrationAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        // BEGIN IMMEDIATE: the write lock is ours from here.
        return await connection.BeginTransactionAsync(IsolationLevel.Serializable, cancellationToken).ConfigureAwait(false);
    }
}
