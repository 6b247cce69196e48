using FieldOps.Integration.Core.Outbox;

namespace FieldOps.Integration.Core.Routing;

/// <summary>One mapped inbox event ready to commit: its outbox rows and, when its envelope has one, its entity version.</summary>
/// <param name="InboxEventId">The inbox event.</param>
/// <param name="Rows">The outbox rows its operations became.</param>
/// <param name="Version">The version to check against the ledger, or null (the event routes without a check).</param>
/// <param name="ParkedReason">
/// When some of the event's flows failed while others mapped: why (each failed flow with file, line and column). The
/// rows are written all the same and the event is marked <c>parked</c> with this reason instead of <c>routed</c>, so an
/// admin fixes the flow and re-routes it (rows already written are not written twice).
/// </param>
public sealed record RoutedEvent(long InboxEventId, IReadOnlyList<NewOutboxRow> Rows, EntityVersionClaim? Version, string? ParkedReason = null)
{
    /// <summary>The routing span's W3C <c>traceparent</c> (the event's trace), for the log lines written after the commit.</summary>
    public string? TraceParent { get; init; }
}
