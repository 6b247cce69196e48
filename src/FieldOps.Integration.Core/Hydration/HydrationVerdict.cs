namespace FieldOps.Integration.Core.Hydration;

/// <summary>What became of a hydrated event: <c>new</c> (to be routed) or <c>stale</c> (with the reason).</summary>
public sealed record HydrationVerdict(long EventId, string State, string? Reason);
