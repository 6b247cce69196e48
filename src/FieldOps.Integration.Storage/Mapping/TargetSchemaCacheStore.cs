using Dapper;
using FieldOps.Integration.Core.Mapping.TargetSchemas;

namespace FieldOps.Integration.Storage.Mapping;

/// <summary>Table <c>target_schema_cache</c>: the last answer per (connector, object) and when it was fetched.</summary>
public sealed class TargetSchemaCacheStore(IStoreConnections connections) : ITargetSchemaCache
{
    private readonly string _save = connections.Dialect.Upsert("target_schema_cache", ["connector", "object_type", "body", "fetched_at"],
        ["@connector", "@objectType", "@body", "@fetchedAt"], ["connector", "object_type"], ["body", "fetched_at"]);

    public async Task SaveAsync(CachedTargetSchema schema, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(schema);
        await using var connection = await connections.OpenAsync(cancellationToken).ConfigureAwait(false);
        await connection.ExecuteAsync(new CommandDefinition(_save,
            new { connector = schema.Connector, objectType = schema.ObjectType, body = schema.Body, fetchedAt = schema.FetchedAt.ToUnixTimeMilliseconds() },
            cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<CachedTargetSchema>> ListAsync(CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<(string Connector, string ObjectType, string Body, long FetchedAt)>(new CommandDefinition(
            "SELECT connector, object_type, body, fetched_at FROM target_schema_cache ORDER BY connector, object_type", cancellationToken: cancellationToken))
            .ConfigureAwait(false);
        return rows.Select(r => new CachedTargetSchema(r.Connector, r.ObjectType, r.Body, DateTimeOffset.FromUnixTimeMilliseconds(r.FetchedAt))).ToList();
    }
}
