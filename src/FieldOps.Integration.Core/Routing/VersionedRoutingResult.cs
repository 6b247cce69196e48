namespace FieldOps.Integration.Core.Routing;

/// <summary>What became of an event routed with its entity version.</summary>
/// <param name="State">The event's new state: <c>routed</c>, or <c>stale</c> (an older version, or a duplicate of another delivery).</param>
/// <param name="Reason">Why it is stale, naming the entity and both versions (or the event it duplicates); null when routed.</param>
/// <param name="Added">How many outbox rows were new (0 when stale).</param>
public sealed record VersionedRoutingResult(string State, string? Reason, int Added);
