namespace FieldOps.Integration.Core.Mapping.Evaluation;

/// <summary>What the mappings made of an event.</summary>
public enum MappingOutcomeKind
{
    /// <summary>Normalised and matched: zero or more operations to write.</summary>
    Routed,

    /// <summary>No flow took it: kept visibly with the reason.</summary>
    Unmatched,

    /// <summary>
    /// The source profile's <c>requires</c> are not met: the event lacks data it needs (a thin webhook's record). The
    /// reason is the profile's text for the first requirement not met.
    /// </summary>
    Incomplete,

    /// <summary>
    /// A selected flow reads before it writes (<c>enrich</c>) and a read's result is not known yet: the outcome lists
    /// the reads (<see cref="MappingOutcome.Enrichments"/>); map again with their results.
    /// </summary>
    NeedsEnrichment,

    /// <summary>A mapping failed: parked with file, line, column, field and error.</summary>
    Parked,

    /// <summary>
    /// An <c>enrich</c> read failed in a way that may pass (an outage, a timeout, throttling): the event waits and is read
    /// again later, with backoff (<see cref="MappingOutcome.RetryAfter"/> when the vendor said), up to a limit.
    /// </summary>
    ReadFailed,
}
