namespace FieldOps.Connectors.HubSpot;

/// <summary>A CRM search answer.</summary>
public sealed record HubSpotSearchResult
{
    public long Total { get; init; }

    public IReadOnlyList<HubSpotObject> Results { get; init; } = [];
}
