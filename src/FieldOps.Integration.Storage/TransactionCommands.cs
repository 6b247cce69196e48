using System.Data.Common;
using System.Diagnostics;
using System.Globalization;

namespace FieldOps.Integration.Storage;

/// <summary>
/// The statements one write transaction runs again and again (once per routed event, per polled record): each is built
/// once, on its first use, and run again with new values. SQLite then prepares it once per transaction instead of parsing
/// and planning it on every run, as a fresh command per statement (Dapper's way) does — issue 15: the router ran six such
/// statements per event; PostgreSQL and SQL Server only save building the command. A statement's parameters are given in
/// the same order on every run; the commands are disposed with this object, which lives no longer than the transaction.
/// The parameters are untyped (the provider infers each from its value): a statement whose NULL needs a type, such as
/// <c>COALESCE(@x, column)</c> on PostgreSQL, belongs in a typed command (<c>OutboxQueries.ConnectionCommands</c>).
/// </summary>
internal sealed class TransactionCommands(DbConnection connection, DbTransaction transaction) : IAsyncDisposable
{
    private readonly Dictionary<string, DbCommand> _commands = new(StringComparer.Ordinal);

    /// <summary>Runs <paramref name="sql"/> with <paramref name="parameters"/>; returns the rows it changed.</summary>
    public Task<int> ExecuteAsync(string sql, CancellationToken cancellationToken, params ReadOnlySpan<(string Name, object? Value)> parameters) =>
        Bind(sql, parameters).ExecuteNonQueryAsync(cancellationToken);

    /// <summary>Runs <paramref name="sql"/> with <paramref name="parameters"/>; returns its first column of its first row, or null.</summary>
    public Task<long?> ScalarAsync(string sql, CancellationToken cancellationToken, params ReadOnlySpan<(string Name, object? Value)> parameters) =>
        AsInt64Async(Bind(sql, parameters).ExecuteScalarAsync(cancellationToken));

    /// <summary>Runs <paramref name="sql"/> with <paramref name="parameters"/>; returns its first row's columns as whole numbers (null for NULL).</summary>
    public Task<long?[]> Int64RowAsync(string sql, CancellationToken cancellationToken, params ReadOnlySpan<(string Name, object? Value)> parameters) =>
        ReadInt64RowAsync(Bind(sql, parameters), cancellationToken);

    private static async Task<long?[]> ReadInt64RowAsync(DbCommand command, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            throw new InvalidOperationException($"{command.CommandText}: no row");
        return Int64Row(reader);
    }

    /// <summary>The columns of the row <paramref name="reader"/> is on, as whole numbers (null for NULL).</summary>
    public static long?[] Int64Row(DbDataReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var row = new long?[reader.FieldCount];
        for (var i = 0; i < row.Length; i++)
            row[i] = reader.IsDBNull(i) ? null : Convert.ToInt64(reader.GetValue(i), CultureInfo.InvariantCulture);
        return row;
    }

    private static async Task<long?> AsInt64Async(Task<object?> scalar) =>
        await scalar.ConfigureAwait(false) is { } value and not DBNull ? Convert.ToInt64(value, CultureInfo.InvariantCulture) : null;

    private DbCommand Bind(string sql, ReadOnlySpan<(string Name, object? Value)> parameters)
    {
        if (!_commands.TryGetValue(sql, out var command))
        {
            command = connection.CreateCommand();
            command.CommandText = sql;
            command.Transaction = transaction;
            foreach (var (name, _) in parameters)
                command.AddParameter(name);
            _commands.Add(sql, command);
        }
        for (var i = 0; i < parameters.Length; i++)
        {
            Debug.Assert(command.Parameters[i].ParameterName == parameters[i].Name, $"{sql}: parameter {i} is {command.Parameters[i].ParameterName}, given {parameters[i].Name}");
            command.Parameters[i].Value = parameters[i].Value ?? DBNull.Value;
        }
        return command;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var command in _commands.Values)
            await command.DisposeAsync().ConfigureAwait(false);
        _commands.Clear();
    }
}
