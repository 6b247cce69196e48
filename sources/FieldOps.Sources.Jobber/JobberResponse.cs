using System.Text.Json.Nodes;
using FieldOps.Integration.Core.Sources;

namespace FieldOps.Sources.Jobber;

/// <summary>A Jobber GraphQL answer: its data and what <c>extensions</c> said about cost and version.</summary>
/// <param name="Data">The <c>data</c> object.</param>
/// <param name="CurrentlyAvailable">Query-cost points left after this query, if reported.</param>
/// <param name="RestoreRate">Points restored per second, if reported.</param>
internal sealed record JobberResponse(JsonObject? Data, double? CurrentlyAvailable, double? RestoreRate)
{
    /// <summary>The answer as sent and as read: a sweep checks its cursor against it (<see cref="SourceJson.Cursor"/>).</summary>
    public SourceJson Answer { get; init; } = SourceJson.Of("");
}
