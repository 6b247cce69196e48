using System.Data;
using System.Data.Common;

namespace FieldOps.Integration.Storage;

/// <summary>Adds a named parameter to a command (or a batch's statement) the stores build by hand, for any provider.</summary>
internal static class DbCommandParameters
{
    /// <summary>Adds <paramref name="name"/> (with its <c>@</c>), typed when <paramref name="type"/> is given; returns it to set its value.</summary>
    public static DbParameter AddParameter(this DbCommand command, string name, DbType? type = null, object? value = null) =>
        Add(command.Parameters, command.CreateParameter(), name, type, value);

    /// <summary>Adds a statement running <paramref name="sql"/> to <paramref name="batch"/>; returns it to add its parameters.</summary>
    public static DbBatchCommand AddStatement(this DbBatch batch, string sql)
    {
        var command = batch.CreateBatchCommand();
        command.CommandText = sql;
        batch.BatchCommands.Add(command);
        return command;
    }

    /// <summary>Adds a statement running <paramref name="sql"/> with untyped <paramref name="parameters"/>, as <c>TransactionCommands</c> runs it alone.</summary>
    public static DbBatchCommand AddStatement(this DbBatch batch, string sql, params ReadOnlySpan<(string Name, object? Value)> parameters)
    {
        var command = batch.AddStatement(sql);
        foreach (var (name, value) in parameters)
            command.AddParameter(name, value: value);
        return command;
    }

    /// <summary>The same for one statement of a <see cref="DbBatch"/>.</summary>
    public static DbParameter AddParameter(this DbBatchCommand command, string name, DbType? type = null, object? value = null) =>
        Add(command.Parameters, command.CreateParameter(), name, type, value);

    private static DbParameter Add(DbParameterCollection parameters, DbParameter parameter, string name, DbType? type, object? value)
    {
        parameter.ParameterName = name;
        if (type is { } known)
            parameter.DbType = known;
        parameter.Value = value ?? DBNull.Value;
        parameters.Add(parameter);
        return parameter;
    }
}
