using System.Text.Json;
using System.Text.Json.Nodes;
using FieldOps.Integration.Core.Text;
using FieldOps.Jsonata;

namespace FieldOps.Integration.Core.Mapping.Evaluation;

/// <summary>An event as the mappings see it: the inbox event's identity and its raw JSON payload.</summary>
/// <param name="EventId">The inbox event id (as text).</param>
/// <param name="Source">The configured source name (<c>Sources:{name}</c>).</param>
/// <param name="SourceKind">The source's kind, which picks the profile.</param>
/// <param name="ReceivedAt">When intake received it.</param>
/// <param name="DedupKey">The inbox dedup key.</param>
/// <param name="Payload">The raw payload.</param>
public sealed record SourceEvent(string EventId, string Source, string SourceKind, DateTimeOffset ReceivedAt, string? DedupKey, JsonNode? Payload)
{
    private JsonElement _parsed;
    private JsonNode? _parsedNode;

    /// <summary>
    /// The payload as <see cref="Parse"/> read it, which the engine converts without materialising <see cref="Payload"/>'s
    /// node tree (walking a parsed <see cref="JsonObject"/> builds a node per property); null when the event was made
    /// otherwise or its <see cref="Payload"/> replaced (<c>with</c>). An event's payload is not modified once the event
    /// is made (nothing that maps it writes to it).
    /// </summary>
    internal JsonElement? PayloadElement => _parsedNode is not null && ReferenceEquals(_parsedNode, Payload) ? _parsed : null;

    /// <summary>The payload in the JSONata engine's model, converted from <see cref="PayloadElement"/> when there is one.</summary>
    internal JsonataValueOrUndefined PayloadValue() =>
        PayloadElement is { } element ? JsonataValueOrUndefined.FromJson(element) : JsonataValueOrUndefined.FromJson(Payload);

    // A name twice in one object is refused as not JSON, as walking the parsed node would refuse it.
    private static readonly JsonSerializerOptions StrictJson = new() { AllowDuplicateProperties = false };

    /// <summary>
    /// An event whose payload is the JSON text <paramref name="json"/>, half a surrogate pair in it read as U+FFFD
    /// (<see cref="JsonSurrogates"/>: as it is, no string holding one could be read, and the event would park).
    /// </summary>
    /// <exception cref="JsonException">The text is not JSON.</exception>
    public static SourceEvent Parse(string eventId, string source, string sourceKind, DateTimeOffset receivedAt, string? dedupKey, string json)
    {
        var element = JsonSerializer.Deserialize<JsonElement>(JsonSurrogates.Mend(json), StrictJson);
        JsonNode? payload = element.ValueKind switch
        {
            JsonValueKind.Object => JsonObject.Create(element),
            JsonValueKind.Array => JsonArray.Create(element),
            JsonValueKind.Null => null,
            _ => JsonValue.Create(element),
        };
        return new SourceEvent(eventId, source, sourceKind, receivedAt, dedupKey, payload) { _parsed = element, _parsedNode = payload };
    }
}
