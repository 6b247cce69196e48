using System.Data;
using System.Data.Common;
using System.Globalization;
using Dapper;
using FieldOps.Integration.Core.CrossReferences;

namespace FieldOps.Integration.Storage.CrossReferences;

/// <summary>The <c>xref</c> table over Dapper; the upsert's grammar comes from the dialect.</summary>
public sealed class CrossReferenceStore(IStoreConnections connections, TimeProvider time) : ICrossReferenceStore
{
    private const string FindSql = "SELECT target_id FROM xref WHERE system = @system AND object_type = @objectType AND source_id = @sourceId";

    // GROUP BY: without it SQLite answers MIN by walking the primary key in source_id order through every row of the
    // system and object type until one has the target id (issue 15, CrossReferenceQueryPlanTests); with it, the query
    // is planned by its WHERE onto ix_xref_target. No row (instead of a NULL one) when the id is unknown: null either way.
    private const string FindSourceSql = "SELECT MIN(source_id) FROM xref WHERE system = @system AND object_type = @objectType AND target_id = @targetId GROUP BY target_id";

    private readonly string _save = CrossReferenceSql.Save(connections.Dialect);

    public async Task<string?> FindAsync(string system, string objectType, string sourceId, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await connection.ExecuteScalarAsync<string?>(new CommandDefinition(
            FindSql,
            new { system, objectType, sourceId }, cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    public async Task<string?> FindSourceAsync(string system, string objectType, string targetId, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await connection.ExecuteScalarAsync<string?>(new CommandDefinition(
            FindSourceSql,
            new { system, objectType, targetId }, cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    public async Task<IReadOnlyDictionary<XrefPlaceholder, string>> FindManyAsync(IReadOnlyCollection<XrefPlaceholder> keys, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var found = new Dictionary<XrefPlaceholder, string>();
        if (keys.Count == 0)
            return found;
        // One connection for all (opening a connection per key cost the router more than the queries), and as many keys
        // per statement as the dialect says: one prepared statement run again per key on SQLite, one round trip for up to
        // a hundred on a server database.
        await using var connection = await connections.OpenAsync(cancellationToken).ConfigureAwait(false);
        var distinct = keys.Distinct().ToList();
        var perStatement = connections.Dialect.KeysPerLookup;
        DbCommand? command = null;
        try
        {
            for (var start = 0; start < distinct.Count; start += perStatement)
            {
                var count = Math.Min(perStatement, distinct.Count - start);
                if (command?.Parameters.Count != 3 * count)
                {
                    if (command is not null)
                        await command.DisposeAsync().ConfigureAwait(false);
                    command = FindManyCommand(connection, count);
                }
                for (var n = 0; n < count; n++)
                {
                    var key = distinct[start + n];
                    command.Parameters[3 * n].Value = key.System;
                    command.Parameters[3 * n + 1].Value = key.Type;
                    command.Parameters[3 * n + 2].Value = key.SourceId;
                }
                await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                    found[distinct[start + Convert.ToInt32(reader.GetValue(0), CultureInfo.InvariantCulture)]] = reader.GetString(1);
            }
        }
        finally
        {
            if (command is not null)
                await command.DisposeAsync().ConfigureAwait(false);
        }
        return found;
    }

    // One statement for count keys, its parameters typed once and given values for each group of keys.
    private static DbCommand FindManyCommand(DbConnection connection, int count)
    {
        var command = connection.CreateCommand();
        command.CommandText = CrossReferenceSql.FindMany(count);
        for (var n = 0; n < count; n++)
        {
            var place = n.ToString(CultureInfo.InvariantCulture);
            command.AddParameter("@s" + place, DbType.String);
            command.AddParameter("@t" + place, DbType.String);
            command.AddParameter("@i" + place, DbType.String);
        }
        return command;
    }

    public async Task SaveAsync(string system, string objectType, string sourceId, string targetId, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken).ConfigureAwait(false);
        await connection.ExecuteAsync(new CommandDefinition(_save,
            new { System = system, ObjectType = objectType, SourceId = sourceId, TargetId = targetId, Now = time.GetUtcNow().ToUnixTimeMilliseconds() },
            cancellationToken: cancellationToken)).ConfigureAwait(false);
    }
}
