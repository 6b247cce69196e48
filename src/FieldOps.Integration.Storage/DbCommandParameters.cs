using System.Data;
using System.Data.Common;

namespace FieldOps.Integration.Storage;

/// <summary>Adds a named parameter to a command the stores build by hand (reused across rows), for any provider.</summary>
internal static class DbCommandParameters
{
    /// <summary>Adds <paramref name="name"/> (with its <c>@</c>), typed when <paramref name="type"/> is given; returns it to set its value.</summary>
    public static DbParameter AddParameter(this DbCommand command, string name, DbType? type = null, object? value = null)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        if (type is { } known)
            parameter.DbType = known;
        parameter.Value = value ?? DBNull.Value;
        command.Parameters.Add(parameter);
        return parameter;
    }
}
