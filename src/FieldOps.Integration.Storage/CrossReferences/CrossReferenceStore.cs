using Dapper;
using FieldOps.Integration.Core.CrossReferences;

namespace FieldOps.Integration.Storage.CrossReferences;

/// <summary>The <c>xref</c> table over Dapper; the upsert's grammar comes from the dialect.</summary>
public sealed class CrossReferenceStore(IStoreConnections connections, TimeProvider time) : ICrossReferenceStore
{
    private readonly string _save = CrossReferenceSql.Save(connections.Dialect);

    public async Task<string?> FindAsync(string system, string objectType, string sourceId, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await connection.ExecuteScalarAsync<string?>(new CommandDefinition(
            "SELECT target_id FROM xref WHERE system = @system AND object_type = @objectType AND source_id = @sourceId",
            new { system, objectType, sourceId }, cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    public async Task<string?> FindSourceAsync(string system, string objectType, string targetId, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await connection.ExecuteScalarAsync<string?>(new CommandDefinition(
            "SELECT MIN(source_id) FROM xref WHERE system = @system AND object_type = @objectType AND target_id = @targetId",
            new { system, objectType, targetId }, cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    public async Task SaveAsync(string system, string objectType, string sourceId, string targetId, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken).ConfigureAwait(false);
        await connection.ExecuteAsync(new CommandDefinition(_save,
            new { System = system, ObjectType = objectType, SourceId = sourceId, TargetId = targetId, Now = time.GetUtcNow().ToUnixTimeMilliseconds() },
            cancellationToken: cancellationToken)).ConfigureAwait(false);
    }
}
