using Dapper;
using FieldOps.Integration.Core.CrossReferences;
using FieldOps.Integration.Core.Storage;

namespace FieldOps.Integration.Storage.CrossReferences;

/// <summary>The <c>xref</c> table over Dapper; the upsert is the same SQL in SQLite and PostgreSQL.</summary>
public sealed class CrossReferenceStore(IDbConnectionFactory connections, TimeProvider time) : ICrossReferenceStore
{
    public async Task<string?> FindAsync(string system, string objectType, string sourceId, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await connection.ExecuteScalarAsync<string?>(new CommandDefinition(
            "SELECT target_id FROM xref WHERE system = @system AND object_type = @objectType AND source_id = @sourceId",
            new { system, objectType, sourceId }, cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    public async Task SaveAsync(string system, string objectType, string sourceId, string targetId, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken).ConfigureAwait(false);
        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO xref (system, object_type, source_id, target_id, updated_at) VALUES (@system, @objectType, @sourceId, @targetId, @now) " +
            "ON CONFLICT (system, object_type, source_id) DO UPDATE SET target_id = excluded.target_id, updated_at = excluded.updated_at",
            new { system, objectType, sourceId, targetId, now = time.GetUtcNow().ToUnixTimeMilliseconds() },
            cancellationToken: cancellationToken)).ConfigureAwait(false);
    }
}
