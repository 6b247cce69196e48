using System.Text.Json;
using System.Text.Json.Nodes;
using FieldOps.Integration.Core.Connectors;

namespace FieldOps.Connectors.HubSpot;

/// <summary>Notes: created with their associations, carrying the operation's marker; found again through search.</summary>
public sealed partial class HubSpotConnector
{
    /// <summary>HUBSPOT_DEFINED association type ids from a note to each object type (target-apis.md §2.3).</summary>
    private static readonly Dictionary<string, int> s_noteAssociationTypes = new(StringComparer.OrdinalIgnoreCase)
    {
        ["tickets"] = 228, ["contacts"] = 202, ["companies"] = 190, ["deals"] = 214,
    };

    /// <summary>HubSpot's limit on a note's body.</summary>
    private const int MaxNoteBodyLength = 65_536;

    private async Task<DeliveryOutcome> CreateNoteAsync(OutboundOperation operation, OperationPayload payload, CancellationToken cancellationToken)
    {
        var associations = new List<HubSpotAssociation>();
        foreach (var item in payload.Params["associations"] as JsonArray ?? [])
        {
            var type = (item?["objectType"] as JsonValue)?.GetValue<string>();
            var id = item?["id"] is JsonValue value ? (value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : value.ToJsonString()) : null;
            if (type is null || string.IsNullOrEmpty(id) || !s_noteAssociationTypes.TryGetValue(type, out var typeId))
                return DeliveryOutcome.Permanent($"hubspot note: each association needs objectType (tickets, contacts, companies, deals) and id, found {item?.ToJsonString()}.");
            associations.Add(new HubSpotAssociation(new HubSpotObjectId(id), [new HubSpotAssociationType("HUBSPOT_DEFINED", typeId)]));
        }
        var properties = Clone(payload.Fields);
        var body = $"{payload.Field("hs_note_body")}<p>[ref {Marker(operation.Id)}]</p>";
        if (body.Length > MaxNoteBodyLength)
            return DeliveryOutcome.Permanent($"hs_note_body is {body.Length} characters with our marker; HubSpot takes at most {MaxNoteBodyLength}.", ["hs_note_body"]);
        properties["hs_note_body"] = body;
        if (properties["hs_timestamp"] is null)
            properties["hs_timestamp"] = time.GetUtcNow().ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture);
        return await CallAsync(
            ct => api.CreateAsync(_options.ObjectsPath, "notes", new HubSpotObjectInput(properties) { Associations = associations }, ct),
            body => FromObject(body, "notes"), "notes", cancellationToken).ConfigureAwait(false);
    }

    /// <summary>HubSpot's search index trails writes by a few seconds: the dispatcher checks no sooner than this.</summary>
    public TimeSpan EffectVisibleAfter => _options.SearchIndexLag;

    /// <summary>
    /// Searches the notes for the operation's marker; the dispatcher asks no sooner than <see cref="EffectVisibleAfter"/>
    /// after the attempt whose answer was lost (after a crash, the lease has expired, well after that).
    /// </summary>
    public async Task<(EffectCheck Result, string? TargetId)> CheckEffectAsync(OutboundOperation operation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(operation);
        if (!IsNonIdempotent(operation))
            return (EffectCheck.NotApplied, null);
        var marker = Marker(operation.Id);
        var search = new HubSpotSearchRequest([new HubSpotFilterGroup([new HubSpotFilter("hs_note_body", "CONTAINS_TOKEN", marker)])], ["hs_note_body"], 10);
        using var response = await api.SearchAsync(_options.ObjectsPath, "notes", search, cancellationToken).ConfigureAwait(false);
        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            var outcome = _classifier.Classify(response, body, "notes");
            if (outcome.Kind == OutcomeKind.Permanent)
                return (EffectCheck.Unknown, null);
            throw new HttpRequestException($"HubSpot effect check: {outcome.Kind}: {outcome.Message}", null, response.StatusCode);
        }
        var results = HubSpotJson.Read<HubSpotSearchResult>(body)?.Results ?? [];
        var found = results.FirstOrDefault(n => n.Property("hs_note_body")?.Contains(marker, StringComparison.Ordinal) == true);
        return found is { Id: { } id } ? (EffectCheck.Applied, id) : (EffectCheck.NotApplied, null);
    }
}
