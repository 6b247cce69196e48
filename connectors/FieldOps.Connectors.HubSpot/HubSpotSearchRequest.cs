namespace FieldOps.Connectors.HubSpot;

/// <summary>A CRM search with one filter group.</summary>
public sealed record HubSpotSearchRequest(IReadOnlyList<HubSpotFilterGroup> FilterGroups, IReadOnlyList<string> Properties, int Limit)
{
    /// <summary>The order of the results; left out of the request when null.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<HubSpotSort>? Sorts { get; init; }
}

/// <summary>One sort key: a property and <c>ASCENDING</c> or <c>DESCENDING</c>.</summary>
public sealed record HubSpotSort(string PropertyName, string Direction);

/// <summary>Filters that must all match.</summary>
public sealed record HubSpotFilterGroup(IReadOnlyList<HubSpotFilter> Filters);

/// <summary>One filter, e.g. <c>hs_note_body CONTAINS_TOKEN fieldops…</c>.</summary>
public sealed record HubSpotFilter(string PropertyName, string Operator, string Value);
