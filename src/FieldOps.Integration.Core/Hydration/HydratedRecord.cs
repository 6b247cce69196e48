using System.Text.Json.Nodes;

namespace FieldOps.Integration.Core.Hydration;

/// <summary>A record fetched back from the source.</summary>
/// <param name="Record">The record as the source profile reads it; null when the source no longer has it.</param>
/// <param name="Version">Its source version (<c>updatedAt</c>), if any.</param>
public sealed record HydratedRecord(JsonNode? Record, DateTimeOffset? Version);
