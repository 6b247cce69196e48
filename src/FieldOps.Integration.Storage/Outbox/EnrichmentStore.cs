using System.Text.Json;
using Dapper;
using FieldOps.Integration.Core.Routing;

namespace FieldOps.Integration.Storage.Outbox;

/// <summary>The answers of flows' enrich reads, one row per (inbox event, flow/step).</summary>
public sealed class EnrichmentStore(IStoreConnections connections, TimeProvider time) : IEnrichmentStore
{
    private readonly string _insert = connections.Dialect.InsertIfAbsent(
        "event_enrichment", ["inbox_event_id", "step_key", "answer", "read_at"], ["@inboxEventId", "@key", "@answer", "@now"], ["inbox_event_id", "step_key"]);

    public async Task<IReadOnlyDictionary<string, JsonElement>> GetAsync(long inboxEventId, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<(string Key, string Answer)>(new CommandDefinition(
            "SELECT step_key, answer FROM event_enrichment WHERE inbox_event_id = @inboxEventId", new { inboxEventId }, cancellationToken: cancellationToken))
            .ConfigureAwait(false);
        return rows.ToDictionary(r => r.Key, r => Parse(r.Answer), StringComparer.Ordinal);
    }

    public async Task<JsonElement> SaveAsync(long inboxEventId, string key, string answerJson, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken).ConfigureAwait(false);
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        await connection.ExecuteAsync(new CommandDefinition(_insert, new { inboxEventId, key, answer = answerJson, now }, cancellationToken: cancellationToken))
            .ConfigureAwait(false);
        // Another router may have stored first: every reader of this event uses the one stored answer.
        var stored = await connection.ExecuteScalarAsync<string>(new CommandDefinition(
            "SELECT answer FROM event_enrichment WHERE inbox_event_id = @inboxEventId AND step_key = @key", new { inboxEventId, key }, cancellationToken: cancellationToken))
            .ConfigureAwait(false);
        return Parse(stored ?? answerJson);
    }

    private static JsonElement Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }
}
