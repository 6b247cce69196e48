using System.Text.Json.Nodes;

namespace FieldOps.Integration.Core.Mapping.Evaluation;

/// <summary>The result of mapping one event.</summary>
/// <param name="Kind">Routed, incomplete, unmatched or parked.</param>
/// <param name="Reason">Why it is incomplete, unmatched or parked (file:line:column: field: error for a mapping failure).</param>
/// <param name="CanonicalEvent">The normalised event, when normalisation succeeded.</param>
/// <param name="Operations">The operations to write, in flow order.</param>
public sealed record MappingOutcome(MappingOutcomeKind Kind, string? Reason, JsonObject? CanonicalEvent, IReadOnlyList<PlannedOperation> Operations)
{
    /// <summary>
    /// The flows that failed while others routed (each <c>flow: file:line:column: field: error</c>): the event is
    /// parked with them, and the other flows' operations are written all the same. Empty when every flow succeeded.
    /// </summary>
    public IReadOnlyList<string> FailedFlows { get; init; } = [];

    /// <summary>The reason an event routed with <see cref="FailedFlows"/> is parked, or null when none failed.</summary>
    public string? FailedFlowsReason => FailedFlows.Count == 0
        ? null
        : $"{FailedFlows.Count} flow(s) failed, the others routed ({Operations.Count} operations): {string.Join("; ", FailedFlows)}";

    /// <summary>True when the event, or one of its flows, failed because an expression ran past its time limit.</summary>
    internal bool TimeLimitExceeded { get; init; }

    /// <summary>For <see cref="MappingOutcomeKind.NeedsEnrichment"/>: the reads whose results are missing.</summary>
    public IReadOnlyList<EnrichmentRequest> Enrichments { get; init; } = [];

    public static MappingOutcome NeedsEnrichment(IReadOnlyList<EnrichmentRequest> reads, JsonObject canonical) =>
        new(MappingOutcomeKind.NeedsEnrichment, $"reads before it writes: {string.Join(", ", reads.Select(r => $"{r.Flow} ${r.Name} ({r.Connector} {r.Read})"))}", canonical, [])
        {
            Enrichments = reads,
        };

    public static MappingOutcome Unmatched(string reason, JsonObject? canonical = null) => new(MappingOutcomeKind.Unmatched, reason, canonical, []);

    public static MappingOutcome Incomplete(string reason) => new(MappingOutcomeKind.Incomplete, reason, null, []);

    public static MappingOutcome Parked(string reason, JsonObject? canonical = null) => new(MappingOutcomeKind.Parked, reason, canonical, []);

    /// <summary>For <see cref="MappingOutcomeKind.ReadFailed"/>: how long the vendor asked us to wait, if it said.</summary>
    public TimeSpan? RetryAfter { get; init; }

    public static MappingOutcome ReadFailed(string reason, TimeSpan? retryAfter, JsonObject? canonical = null) =>
        new(MappingOutcomeKind.ReadFailed, reason, canonical, []) { RetryAfter = retryAfter };
}
