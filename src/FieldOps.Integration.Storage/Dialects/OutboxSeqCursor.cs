using System.Data.Common;
using Dapper;

namespace FieldOps.Integration.Storage.Dialects;

/// <summary>
/// Hands out the outbox <c>seq</c> values (FIFO order within a partition key) of the rows one write transaction
/// inserts. By default the database hands them out per row (<see cref="Expression"/>); SQLite reads <c>MAX(seq)</c>
/// once and counts up (see <see cref="SqliteDialect.OpenOutboxSeq"/>).
/// </summary>
public class OutboxSeqCursor(string? expression)
{
    /// <summary>The SQL expression that gives a row its <c>seq</c>, or null when the values come from <see cref="NextAsync"/>.</summary>
    public string? Expression => expression;

    /// <summary>The next row's <c>seq</c>, when <see cref="Expression"/> is null.</summary>
    public virtual ValueTask<long> NextAsync() =>
        throw new InvalidOperationException("This database hands out seq values itself: use Expression.");
}

/// <summary>
/// One <c>MAX(seq)</c> read per transaction, then counted up in order: safe because SQLite has one writer and the
/// transaction (non-deferred, <c>BEGIN IMMEDIATE</c>) holds the write lock from its start.
/// </summary>
internal sealed class CountingOutboxSeqCursor(DbConnection connection, DbTransaction transaction) : OutboxSeqCursor(null)
{
    private long? _next;

    public override async ValueTask<long> NextAsync()
    {
        _next ??= await connection.ExecuteScalarAsync<long>("SELECT COALESCE(MAX(seq), 0) + 1 FROM outbox", transaction: transaction).ConfigureAwait(false);
        return _next++.Value;
    }
}
