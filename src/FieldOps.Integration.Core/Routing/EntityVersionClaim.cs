namespace FieldOps.Integration.Core.Routing;

/// <summary>The entity version a routed event stands for, read from its canonical envelope.</summary>
/// <param name="Source">The configured source name.</param>
/// <param name="EntityType">The canonical entity type (e.g. <c>Customer</c>).</param>
/// <param name="EntityId">The entity's id at the source.</param>
/// <param name="Version">The envelope's <c>sourceVersion</c>.</param>
/// <param name="Topic">What kind of change this is (<c>sourceTopic</c>, else the canonical event type).</param>
public sealed record EntityVersionClaim(string Source, string EntityType, string EntityId, DateTimeOffset Version, string Topic);
