using System.Text.Json.Nodes;
using FieldOps.Integration.Core.Connectors;
using FieldOps.Integration.Core.Text;
using Microsoft.Extensions.Options;

namespace FieldOps.Connectors.HubSpot;

/// <summary>
/// The reads a flow's <c>enrich</c> step may make of HubSpot: <c>search</c>, a CRM v3 search of
/// <c>params.objectType</c> (e.g. <c>tickets</c>) with <c>params.filters</c> (each <c>{propertyName, operator,
/// value}</c>, all must match), <c>params.properties</c>, <c>params.sorts</c> and <c>params.limit</c> (at most 100).
/// The answer is HubSpot's result, <c>{total, results[{id, properties}]}</c>. <c>properties</c> (<c>params.objectType</c>)
/// answers <c>/crm/v3/properties/{objectType}</c>, for <c>fieldops validate --online</c>; each read is one call against
/// the app's rate limit.
/// </summary>
public sealed class HubSpotReader(IHubSpotApi api, IOptions<HubSpotOptions> options, HubSpotRateLimits limits, TimeProvider time) : IConnectorReader
{
    private readonly HubSpotOptions _options = options.Value;
    private readonly HubSpotErrorClassifier _classifier = new(options.Value, limits, time);

    public async Task<ConnectorReadResult> ReadAsync(string connection, string read, JsonObject parameters, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (read is not ("search" or "properties"))
            return ConnectorReadResult.Failed($"hubspot reads 'search' (CRM v3 search) or 'properties', not '{read}'");
        if (parameters["objectType"]?.ToString() is not { Length: > 0 } objectType)
            return ConnectorReadResult.Failed("params.objectType is required (e.g. tickets)");
        if (read == "properties")
        {
            using var described = await api.PropertiesAsync(objectType, cancellationToken).ConfigureAwait(false);
            return await AnswerAsync(described, objectType, cancellationToken).ConfigureAwait(false);
        }
        var filters = new List<HubSpotFilter>();
        foreach (var filter in parameters["filters"] as JsonArray ?? [])
        {
            if (filter?["propertyName"]?.ToString() is not { Length: > 0 } property || filter["operator"]?.ToString() is not { Length: > 0 } op)
                return ConnectorReadResult.Failed("each of params.filters needs propertyName and operator");
            filters.Add(new HubSpotFilter(property, op, filter["value"]?.ToString() ?? ""));
        }
        var properties = (parameters["properties"] as JsonArray ?? []).Select(p => p?.ToString() ?? "").Where(p => p.Length > 0).ToList();
        var sorts = (parameters["sorts"] as JsonArray ?? [])
            .Select(s => new HubSpotSort(s?["propertyName"]?.ToString() ?? "", s?["direction"]?.ToString() ?? "DESCENDING"))
            .Where(s => s.PropertyName.Length > 0).ToList();
        var limit = parameters["limit"] is JsonValue value && value.TryGetValue<int>(out var given) ? Math.Clamp(given, 1, 100) : 10;
        var request = new HubSpotSearchRequest(filters.Count == 0 ? [] : [new HubSpotFilterGroup(filters)], properties, limit) { Sorts = sorts.Count == 0 ? null : sorts };
        using var response = await api.SearchAsync(_options.ObjectsPath, objectType, request, cancellationToken).ConfigureAwait(false);
        return await AnswerAsync(response, objectType, cancellationToken).ConfigureAwait(false);
    }

    private async Task<ConnectorReadResult> AnswerAsync(HttpResponseMessage response, string objectType, CancellationToken cancellationToken)
    {
        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            return ConnectorReadResult.From(_classifier.Classify(response, body, objectType));
        }
        // Half a surrogate pair (a text the vendor cut through an emoji) read as U+FFFD: as it is, the answer could not be
        // written into the event's enrichment (System.Text.Json will not write such a string) and the event would park.
        return ConnectorReadResult.Of(JsonNode.Parse(JsonSurrogates.Mend(body)));
    }
}
