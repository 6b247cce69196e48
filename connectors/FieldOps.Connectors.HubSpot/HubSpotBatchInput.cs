namespace FieldOps.Connectors.HubSpot;

/// <summary>The body of a batch call: <c>{"inputs": [...]}</c>.</summary>
public sealed record HubSpotBatchInput(IReadOnlyList<HubSpotUpsertInput> Inputs);
