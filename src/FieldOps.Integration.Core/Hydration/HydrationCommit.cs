namespace FieldOps.Integration.Core.Hydration;

/// <summary>A fetched record and the thin events it completes.</summary>
/// <param name="Source">The source name.</param>
/// <param name="EntityType">The entity's type at the source.</param>
/// <param name="EntityId">The entity's id.</param>
/// <param name="Version">The record's version, if any.</param>
/// <param name="Events">Each event with its topic and its payload with the record added.</param>
public sealed record HydrationCommit(string Source, string EntityType, string EntityId, DateTimeOffset? Version, IReadOnlyList<HydratedEvent> Events);

/// <summary>One thin event, hydrated.</summary>
public sealed record HydratedEvent(long EventId, string Topic, string PayloadJson);
