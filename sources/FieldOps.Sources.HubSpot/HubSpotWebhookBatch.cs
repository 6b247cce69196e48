using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace FieldOps.Sources.HubSpot;

/// <summary>
/// A HubSpot webhook request: a JSON array of up to 100 events. Each event becomes one inbox event, deduplicated on
/// (portalId, subscriptionId, eventId, objectId, occurredAt, propertyName) — HubSpot says <c>eventId</c> alone is
/// not unique — and never on <c>attemptNumber</c>, which grows with each redelivery of the same event.
/// </summary>
public static class HubSpotWebhookBatch
{
    private static readonly string[] KeyParts = ["portalId", "subscriptionId", "eventId", "objectId", "occurredAt"];

    /// <summary>The events of <paramref name="body"/>, each with its dedup key and its own JSON.</summary>
    /// <exception cref="JsonException">The body is not a JSON array of objects, or an event lacks the dedup key's parts.</exception>
    public static IReadOnlyList<HubSpotWebhookEvent> Split(ReadOnlySpan<byte> body)
    {
        if (JsonNode.Parse(body) is not JsonArray events)
            throw new JsonException("a HubSpot webhook body is a JSON array of events");
        var result = new List<HubSpotWebhookEvent>(events.Count);
        foreach (var node in events)
        {
            if (node is not JsonObject item)
                throw new JsonException("each HubSpot webhook event is a JSON object");
            // The field table of HubSpot's guide says eventType; every payload example and capture says subscriptionType.
            if (item["subscriptionType"] is null && item["eventType"] is { } eventType)
                item["subscriptionType"] = eventType.DeepClone();
            var parts = KeyParts.Select(p => Text(item, p)).ToList();
            if (parts.Any(p => p is null))
                throw new JsonException("a HubSpot webhook event needs portalId, subscriptionId, eventId, objectId and occurredAt");
            var key = string.Create(CultureInfo.InvariantCulture, $"hubspot:{string.Join(':', parts)}:{Text(item, "propertyName") ?? ""}");
            result.Add(new HubSpotWebhookEvent(key, Text(item, "subscriptionType") ?? "", Text(item, "objectId")!, item.ToJsonString()));
        }
        return result;
    }

    private static string? Text(JsonObject item, string name) => item[name] switch
    {
        JsonValue value when value.GetValueKind() == JsonValueKind.String => value.GetValue<string>(),
        JsonValue value when value.GetValueKind() == JsonValueKind.Number => value.ToJsonString(),
        _ => null,
    };
}

/// <summary>One event of a HubSpot webhook request.</summary>
/// <param name="DedupKey">Its inbox dedup key.</param>
/// <param name="SubscriptionType">e.g. <c>ticket.creation</c>.</param>
/// <param name="ObjectId">The record it is about.</param>
/// <param name="Json">The event's own JSON object.</param>
public sealed record HubSpotWebhookEvent(string DedupKey, string SubscriptionType, string ObjectId, string Json);
