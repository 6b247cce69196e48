namespace FieldOps.Integration.Core.Hydration;

/// <summary>What to fetch for a thin event.</summary>
/// <param name="Source">The source name.</param>
/// <param name="EntityType">The entity's type at the source (from the topic, e.g. <c>Job</c>).</param>
/// <param name="EntityId">The entity's id (e.g. Jobber's <c>itemId</c>).</param>
/// <param name="Topic">The event's topic, kept for the version ledger.</param>
public sealed record HydrationRequest(string Source, string EntityType, string EntityId, string Topic);
