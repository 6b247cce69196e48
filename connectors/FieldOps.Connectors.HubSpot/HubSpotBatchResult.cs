namespace FieldOps.Connectors.HubSpot;

/// <summary>A batch answer: the objects written, and (207) the errors, each tied to inputs where HubSpot says which.</summary>
public sealed record HubSpotBatchResult
{
    public string? Status { get; init; }

    public IReadOnlyList<HubSpotObject> Results { get; init; } = [];

    public IReadOnlyList<HubSpotError> Errors { get; init; } = [];
}
