using System.Text.Json;

namespace FieldOps.Integration.Core.Routing;

/// <summary>The answers of a flow's <c>enrich</c> reads, stored with the inbox event so a retry or re-route never reads again.</summary>
public interface IEnrichmentStore
{
    /// <summary>Every answer stored for the event, by <c>{flow}/{name}</c>.</summary>
    Task<IReadOnlyDictionary<string, JsonElement>> GetAsync(long inboxEventId, CancellationToken cancellationToken);

    /// <summary>Stores an answer; when one is already stored under the key, keeps that one and returns it.</summary>
    Task<JsonElement> SaveAsync(long inboxEventId, string key, string answerJson, CancellationToken cancellationToken);
}
