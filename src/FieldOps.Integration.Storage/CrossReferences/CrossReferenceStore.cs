using Dapper;
using FieldOps.Integration.Core.CrossReferences;
using FieldOps.Integration.Core.Storage;

namespace FieldOps.Integration.Storage.CrossReferences;

/// <summary>The <c>xref</c> table over Dapper; the upsert's grammar comes from the dialect.</summary>
public sealed class CrossReferenceStore(IStoreConnections connections, TimeProvider time) : ICrossReferenceStore
{
    private const string FindSql = "SELECT target_id FROM xref WHERE system = @system AND object_type = @objectType AND source_id = @sourceId";

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
            "SELECT MIN(source_id) FROM xref WHERE system = @system AND object_type = @objectType AND target_id = @targetId",
            new { system, objectType, targetId }, cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    public async Task<IReadOnlyDictionary<XrefPlaceholder, string>> FindManyAsync(IReadOnlyCollection<XrefPlaceholder> keys, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var found = new Dictionary<XrefPlaceholder, string>();
        if (keys.Count == 0)
            return found;
        // One connection for all: opening a connection per key cost the router more than the queries.
        await using var connection = await connections.OpenAsync(cancellationToken).ConfigureAwait(false);
        if (connections.Provider == StoreProvider.Sqlite)
        {
            // In the process: one prepared statement run again for each key costs less than a statement naming them all.
            await using var command = connection.CreateCommand();
            command.CommandText = FindSql;
            var system = command.AddParameter("@system");
            var objectType = command.AddParameter("@objectType");
            var sourceId = command.AddParameter("@sourceId");
            foreach (var key in keys)
            {
                system.Value = key.System;
                objectType.Value = key.Type;
                sourceId.Value = key.SourceId;
                if (await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is string targetId)
                    found[key] = targetId;
            }
            return found;
        }
        // A server database: every statement is a round trip (and a parse on the server), so the keys are looked up in
        // one statement, a branch per key, each answer tagged with its key's place (a key is matched as the server
        // compares, exactly as FindAsync matches it).
        var distinct = keys.Distinct().ToList();
        for (var start = 0; start < distinct.Count; start += KeysPerStatement)
        {
            var count = Math.Min(KeysPerStatement, distinct.Count - start);
            await using var command = connection.CreateCommand();
            var sql = new System.Text.StringBuilder();
            for (var i = 0; i < count; i++)
            {
                var key = distinct[start + i];
                var n = i.ToString(System.Globalization.CultureInfo.InvariantCulture);
                sql.Append(i == 0 ? "" : " UNION ALL ")
                    .Append("SELECT ").Append(n).Append(" AS k, target_id FROM xref WHERE system = @s").Append(n)
                    .Append(" AND object_type = @t").Append(n).Append(" AND source_id = @i").Append(n);
                command.AddParameter("@s" + n, value: key.System);
                command.AddParameter("@t" + n, value: key.Type);
                command.AddParameter("@i" + n, value: key.SourceId);
            }
            command.CommandText = sql.ToString();
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                found[distinct[start + Convert.ToInt32(reader.GetValue(0), System.Globalization.CultureInfo.InvariantCulture)]] = reader.GetString(1);
        }
        return found;
    }

    /// <summary>The most keys one statement looks up on a server database (three parameters each).</summary>
    private const int KeysPerStatement = 100;

    public async Task SaveAsync(string system, string objectType, string sourceId, string targetId, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken).ConfigureAwait(false);
        await connection.ExecuteAsync(new CommandDefinition(_save,
            new { System = system, ObjectType = objectType, SourceId = sourceId, TargetId = targetId, Now = time.GetUtcNow().ToUnixTimeMilliseconds() },
            cancellationToken: cancellationToken)).ConfigureAwait(false);
    }
}
