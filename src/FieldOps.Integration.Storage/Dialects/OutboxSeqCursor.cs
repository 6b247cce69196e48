using System.Data.Common;
using Dapper;

namespace FieldOps.Integration.Storage.Dialects;

/// <summary>
/// Hands out the outbox <c>seq</c> values (FIFO order within a partition key) of the rows one write transaction
/// inserts. The default asks the database per row; SQLite reads <c>MAX(seq)</c> once and counts up (see
/// <see cref="SqliteDialect.OpenOutboxSeq"/>).
/// </summary>
public class OutboxSeqCursor(string nextSeqExpression)
{
    /// <summary>The SQL for the next row's <c>seq</c>; a cursor that counts adds a parameter named <paramref name="name"/> to <paramref name="args"/>.</summary>
    public virtual ValueTask<string> NextAsync(DynamicParameters args, string name) => ValueTask.FromResult(nextSeqExpression);
}

/// <summary>
/// One <c>MAX(seq)</c> read per transaction, then counted up in order: safe because SQLite has one writer and the
/// transaction (non-deferred, <c>BEGIN IMMEDIATE</c>) holds the write lock from its start.
/// </summary>
internal sealed class CountingOutboxSeqCursor(DbConnection connection, DbTransaction transaction) : OutboxSeqCursor("")
{
    private long? _next;

    public override async ValueTask<string> NextAsync(DynamicParameters args, string name)
    {
        ArgumentNullException.ThrowIfNull(args);
        _next ??= await connection.ExecuteScalarAsync<long>("SELECT COALESCE(MAX(seq), 0) + 1 FROM outbox", transaction: transaction).ConfigureAwait(false);
        args.Add(name, _next++);
        return "@" + name;
    }
}
