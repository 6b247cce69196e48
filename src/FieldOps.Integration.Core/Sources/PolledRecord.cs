namespace FieldOps.Integration.Core.Sources;

/// <summary>One record a poll returned, ready for the inbox.</summary>
/// <param name="DedupKey">The inbox dedup key: the same change polled twice is one event.</param>
/// <param name="EntityType">The entity's type at the source (e.g. <c>Job</c>).</param>
/// <param name="EntityId">The entity's id at the source.</param>
/// <param name="Version">The entity's source version (its <c>updatedAt</c>), if it has one.</param>
/// <param name="Topic">What kind of change this stands for; a webhook with the same topic and version is the same change.</param>
/// <param name="PayloadJson">The JSON document the source profile normalises.</param>
public sealed record PolledRecord(string DedupKey, string EntityType, string EntityId, DateTimeOffset? Version, string Topic, string PayloadJson)
{
    /// <summary>The W3C <c>traceparent</c> of the record's own trace (linked to the poll run's span); null with tracing off.</summary>
    public string? TraceParent { get; init; }
}
