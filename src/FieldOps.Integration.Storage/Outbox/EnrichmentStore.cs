using System.Text.Json;
using Dapper;
using FieldOps.Integration.Core.Inbox;
using FieldOps.Integration.Core.Routing;

namespace FieldOps.Integration.Storage.Outbox;

/// <summary>The answers of flows' enrich reads, one row per (inbox event, flow/step).</summary>
public sealed class EnrichmentStore(IStoreConnections connections, TimeProvider time) : IEnrichmentStore
{
    private readonly string _insert = connections.Dialect.InsertIfAbsent(
        "event_enrichment", ["inbox_event_id", "step_key", "answer", "read_at"], ["@inboxEventId", "@key", "@answer", "@now"], ["inbox_event_id", "step_key"]);

    // A failed read counts one more; until it is marked, the event is not due.
    private readonly string _countFailed = connections.Dialect.UpsertSet("enrichment_retry", ["inbox_event_id", "attempts", "next_attempt_at"],
        ["@inboxEventId", "1", "@never"], ["inbox_event_id"], "attempts = enrichment_retry.attempts + 1, next_attempt_at = @never");

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

    public async Task<int> CountFailedReadAsync(long inboxEventId, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken).ConfigureAwait(false);
        await connection.ExecuteAsync(new CommandDefinition(_countFailed,
            new { inboxEventId, never = long.MaxValue }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return await connection.ExecuteScalarAsync<int>(new CommandDefinition(
            "SELECT attempts FROM enrichment_retry WHERE inbox_event_id = @inboxEventId", new { inboxEventId }, cancellationToken: cancellationToken))
            .ConfigureAwait(false);
    }

    public async Task<bool> MarkAwaitingReadAsync(long inboxEventId, string reason, DateTimeOffset retryAt, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken).ConfigureAwait(false);
        using var turn = await connections.TakeWriteTurnAsync(WritePriority.Normal, cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        if (await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE inbox SET state = @state, state_reason = @reason, routed_at = @now WHERE id = @inboxEventId AND state = @fresh",
            new { inboxEventId, state = InboxEventState.AwaitingEnrichment, reason, now, fresh = InboxEventState.New }, transaction,
            cancellationToken: cancellationToken)).ConfigureAwait(false) == 0)
            return false; // no longer new: the retry's schedule is left as it is too (rolled back on dispose)
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE enrichment_retry SET next_attempt_at = @retryAt WHERE inbox_event_id = @inboxEventId",
            new { inboxEventId, retryAt = retryAt.ToUnixTimeMilliseconds() }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return true;
    }

    public async Task<(int Released, DateTimeOffset? NextDue)> ReleaseDueReadsAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken).ConfigureAwait(false);
        var released = await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE inbox SET state = @fresh, state_reason = NULL WHERE state = @awaiting " +
            "AND id IN (SELECT inbox_event_id FROM enrichment_retry WHERE next_attempt_at <= @now)",
            new { fresh = InboxEventState.New, awaiting = InboxEventState.AwaitingEnrichment, now = now.ToUnixTimeMilliseconds() },
            cancellationToken: cancellationToken)).ConfigureAwait(false);
        var next = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            "SELECT MIN(r.next_attempt_at) FROM enrichment_retry r JOIN inbox i ON i.id = r.inbox_event_id WHERE i.state = @awaiting",
            new { awaiting = InboxEventState.AwaitingEnrichment }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return (released, next is { } ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null);
    }

    private static JsonElement Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }
}
