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
                var at = Fill(parameters, 1 + i * perRow, rows[start + i]); // parameter 0 is @Now
                if (seq.Expression is null)
                    parameters[at].Value = await seq.NextAsync().ConfigureAwait(false);
            }
            added += await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        return added;
    }

    /// <summary>
    /// <see cref="InsertAsync"/>'s statements added to <paramref name="batch"/> (a database that hands out <c>seq</c>
    /// itself); the rows they insert are the sum of their <see cref="DbBatchCommand.RecordsAffected"/> once it has run.
    /// </summary>
    public List<DbBatchCommand> AddInserts(DbBatch batch, IReadOnlyList<NewOutboxRow> rows)
    {
        if (seq.Expression is null)
            throw new InvalidOperationException("A batch cannot read seq values from the cursor while it is being built.");
        var statements = new List<DbBatchCommand>();
        for (var start = 0; start < rows.Count; start += dialect.RowsPerInsert)
        {
            var count = Math.Min(dialect.RowsPerInsert, rows.Count - start);
            var (sql, names) = Statement(count);
            var statement = batch.AddStatement(sql);
            foreach (var name in names)
                statement.AddParameter(name);
            statement.Parameters[0].Value = now;
            for (var i = 0; i < count; i++)
                Fill(statement.Parameters, 1 + i * OutboxRowSql.Parameters.Length, rows[start + i]);
            statements.Add(statement);
        }
        return statements;
    }

    // A row's values from parameter `at` on, in OutboxRowSql.Parameters' order; returns the index after them.
    private static int Fill(DbParameterCollection parameters, int at, NewOutboxRow row)
    {
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
        return at;
    }

    private DbCommand CommandFor(int count)
    {
        if (_command is not null && _commandRows == count)
            return _command;
        _command?.Dispose();
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        var (sql, names) = Statement(count);
        foreach (var name in names)
            command.AddParameter(name);
        command.Parameters[0].Value = now;
        command.CommandText = sql;
        _command = command;
        _commandRows = count;
        return command;
    }

    // The insert of count rows and its parameters' names in order: @Now, then each row's (and its @…Seq without an expression).
    private (string Sql, List<string> Names) Statement(int count)
    {
        var names = new List<string> { "@Now" };
        var values = new List<IReadOnlyList<string>>(count);
        for (var i = 0; i < count; i++)
        {
            var prefix = "p" + i.ToString(CultureInfo.InvariantCulture);
            values.Add(OutboxRowSql.Values(seq.Expression ?? $"@{prefix}Seq", prefix));
            foreach (var name in OutboxRowSql.Parameters)
                names.Add("@" + prefix + name);
            if (seq.Expression is null)
                names.Add("@" + prefix + "Seq");
        }
        return (dialect.InsertManyIfAbsent("outbox", OutboxRowSql.Columns, values, ["id"]), names);
    }

    public ValueTask DisposeAsync() => _command?.DisposeAsync() ?? ValueTask.CompletedTask;
}
