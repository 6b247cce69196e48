using System.Text.Json.Nodes;

namespace FieldOps.Sources.Jobber;

/// <summary>A Jobber GraphQL answer: its data and what <c>extensions</c> said about cost and version.</summary>
/// <param name="Data">The <c>data</c> object.</param>
/// <param name="CurrentlyAvailable">Query-cost points left after this query, if reported.</param>
/// <param name="RestoreRate">Points restored per second, if reported.</param>
internal sealed record JobberResponse(JsonObject? Data, double? CurrentlyAvailable, double? RestoreRate);
