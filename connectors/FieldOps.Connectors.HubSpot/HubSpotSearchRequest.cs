namespace FieldOps.Connectors.HubSpot;

/// <summary>A CRM search with one filter group.</summary>
public sealed record HubSpotSearchRequest(IReadOnlyList<HubSpotFilterGroup> FilterGroups, IReadOnlyList<string> Properties, int Limit);

/// <summary>Filters that must all match.</summary>
public sealed record HubSpotFilterGroup(IReadOnlyList<HubSpotFilter> Filters);

/// <summary>One filter, e.g. <c>hs_note_body CONTAINS_TOKEN fieldops…</c>.</summary>
public sealed record HubSpotFilter(string PropertyName, string Operator, string Value);
