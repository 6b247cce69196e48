using System.Data.Common;
using System.Globalization;
using FieldOps.Integration.Core.Outbox;
using FieldOps.Integration.Storage.Dialects;

namespace FieldOps.Integration.Storage.Outbox;

/// <summary>
/// Inserts new outbox rows inside one write transaction, <see cref="SqlDialect.RowsPerInsert"/> rows per statement,
/// through one command that is built once and executed again with new values (SQLite keeps its statement prepared;
/// the parameters are bound by their exact names, not looked up per execution as a fresh command would).
/// </summary>
internal sealed class OutboxRowWriter(DbConnection connection, DbTransaction transaction, SqlDialect dialect, OutboxSeqCursor seq, long now)
    : IAsyncDisposable
{
    private DbCommand? _command;
    private int _commandRows;

    /// <summary>Inserts the rows not present yet (by id); returns how many were inserted.</summary>
    public async Task<int> InsertAsync(IReadOnlyList<NewOutboxRow> rows, CancellationToken cancellationToken)
    {
        var added = 0;
        for (var start = 0; start < rows.Count; start += dialect.RowsPerInsert)
        {
            var count = Math.Min(dialect.RowsPerInsert, rows.Count - start);
            var command = CommandFor(count);
            var parameters = command.Parameters;
            var perRow = OutboxRowSql.Parameters.Length + (seq.Expression is null ? 1 : 0);
            for (var i = 0; i < count; i++)
            {
                var row = rows[start + i];
                var at = 1 + i * perRow; // parameter 0 is @Now
                parameters[at++].Value = row.Id;
                parameters[at++].Value = row.InboxEventId;
                parameters[at++].Value = row.Flow;
                parameters[at++].Value = row.OperationKey;
                parameters[at++].Value = row.MappingRevision;
                parameters[at++].Value = row.Connector;
                parameters[at++].Value = row.Connection;
                parameters[at++].Value = row.Operation;
                parameters[at++].Value = row.ObjectType;
                parameters[at++].Value = row.IdempotencyKey;
                parameters[at++].Value = row.PartitionKey;
                parameters[at++].Value = row.Payload;
                parameters[at++].Value = (object?)row.XrefSourceId ?? DBNull.Value;
                parameters[at++].Value = (object?)row.SourceFile ?? DBNull.Value;
                parameters[at++].Value = (object?)row.TraceParent ?? DBNull.Value;
                if (seq.Expression is null)
                    parameters[at].Value = await seq.NextAsync().ConfigureAwait(false);
            }
            added += await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        return added;
    }

    private DbCommand CommandFor(int count)
    {
        if (_command is not null && _commandRows == count)
            return _command;
        _command?.Dispose();
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.AddParameter("@Now", value: now);
        var values = new List<IReadOnlyList<string>>(count);
        for (var i = 0; i < count; i++)
        {
            var prefix = "p" + i.ToString(CultureInfo.InvariantCulture);
            values.Add(OutboxRowSql.Values(seq.Expression ?? $"@{prefix}Seq", prefix));
            foreach (var name in OutboxRowSql.Parameters)
                command.AddParameter("@" + prefix + name);
            if (seq.Expression is null)
                command.AddParameter("@" + prefix + "Seq");
        }
        command.CommandText = dialect.InsertManyIfAbsent("outbox", OutboxRowSql.Columns, values, ["id"]);
        _command = command;
        _commandRows = count;
        return command;
    }

    public ValueTask DisposeAsync() => _command?.DisposeAsync() ?? ValueTask.CompletedTask;
}
