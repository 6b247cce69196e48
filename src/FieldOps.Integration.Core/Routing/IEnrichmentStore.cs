using System.Text.Json;

namespace FieldOps.Integration.Core.Routing;

/// <summary>The answers of a flow's <c>enrich</c> reads, stored with the inbox event so a retry or re-route never reads again.</summary>
public interface IEnrichmentStore
{
    /// <summary>Every answer stored for the event, by <c>{flow}/{name}</c>.</summary>
    Task<IReadOnlyDictionary<string, JsonElement>> GetAsync(long inboxEventId, CancellationToken cancellationToken);

    /// <summary>Stores an answer; when one is already stored under the key, keeps that one and returns it.</summary>
    Task<JsonElement> SaveAsync(long inboxEventId, string key, string answerJson, CancellationToken cancellationToken);

    /// <summary>Counts one more failed read for the event and returns how many it has had (1 for the first).</summary>
    Task<int> CountFailedReadAsync(long inboxEventId, CancellationToken cancellationToken);

    /// <summary>
    /// Marks the event <c>awaiting_enrichment</c> with <paramref name="reason"/>, to be read again at <paramref name="retryAt"/>
    /// (one transaction); an event no longer new (another router took it when this one's claim ran out) is left as it is,
    /// and false returned.
    /// </summary>
    Task<bool> MarkAwaitingReadAsync(long inboxEventId, string reason, DateTimeOffset retryAt, CancellationToken cancellationToken);

    /// <summary>
    /// Hands every <c>awaiting_enrichment</c> event whose retry is due at <paramref name="now"/> back as <c>new</c>;
    /// returns how many, and when the next of those still waiting is due (null: none waits).
    /// </summary>
    Task<(int Released, DateTimeOffset? NextDue)> ReleaseDueReadsAsync(DateTimeOffset now, CancellationToken cancellationToken);
}
