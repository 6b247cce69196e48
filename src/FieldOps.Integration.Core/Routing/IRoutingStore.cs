using FieldOps.Integration.Core.Outbox;
using FieldOps.Integration.Core.Storage;

namespace FieldOps.Integration.Core.Routing;

/// <summary>Where the router records what it made of an inbox event — each call one transaction.</summary>
public interface IRoutingStore
{
    /// <summary>
    /// Writes the rows (skipping any whose key already exists) and marks the event routed, in one transaction.
    /// Returns how many rows were new.
    /// </summary>
    Task<int> CommitRoutedAsync(long inboxEventId, IReadOnlyList<NewOutboxRow> rows, CancellationToken cancellationToken);

    /// <summary>
    /// Like <see cref="CommitRoutedAsync(long, IReadOnlyList{NewOutboxRow}, CancellationToken)"/>, but first consults the per-entity source-version ledger in the same
    /// transaction: an older version than one already accepted, or the same (entity, version, topic) from another
    /// delivery, marks the event <c>stale</c> with the reason and writes no rows; otherwise the rows are written,
    /// the version recorded and the event marked routed. An event the ledger already holds (hydrated, polled, or
    /// routed before) is not checked again.
    /// </summary>
    Task<VersionedRoutingResult> CommitRoutedAsync(
        long inboxEventId, IReadOnlyList<NewOutboxRow> rows, EntityVersionClaim version, CancellationToken cancellationToken);

    /// <summary>
    /// Commits many mapped events in one transaction (one commit for all of them; on SQLite the events done so far are
    /// committed first when a webhook's commit waits for the write lock, and the rest follow in another), each exactly as
    /// <see cref="CommitRoutedAsync(long, IReadOnlyList{NewOutboxRow}, EntityVersionClaim, CancellationToken)"/> would, in order:
    /// a later event of the same entity is checked against the versions the earlier ones recorded.
    /// </summary>
    Task<IReadOnlyList<VersionedRoutingResult>> CommitRoutedBatchAsync(IReadOnlyList<RoutedEvent> events, CancellationToken cancellationToken);

    /// <summary>
    /// Whether a failed commit is the store's (unavailable, busy, full, a lost race: the same commit may pass later)
    /// rather than its data's. The router commits a failed group's events one at a time and parks an event whose commit
    /// fails alone only for a fault that is not the store's; for the store's it backs off and parks nothing.
    /// <value>By default any fault <see cref="LoopFaults.IsTransient"/> takes for an outage (every driver fault).</value>
    /// </summary>
    bool IsStoreSideFault(Exception exception) => LoopFaults.IsTransient(exception);

    // Each mark below changes only an event that is still new, and returns false when it was not: the router's claim ran
    // out while it was mapping, and another router routed (or parked) the event meanwhile. That outcome stands.

    /// <summary>Marks the event parked (a mapping failed) with the reason: file, line, column, field, error.</summary>
    Task<bool> MarkParkedAsync(long inboxEventId, string reason, CancellationToken cancellationToken);

    /// <summary>Marks the event unmatched (no flow selected it), with a reason naming its canonical type.</summary>
    Task<bool> MarkUnmatchedAsync(long inboxEventId, string reason, CancellationToken cancellationToken);

    /// <summary>Marks the event <c>awaiting_hydration</c> with <paramref name="reason"/> (the profile's text, for people).</summary>
    Task<bool> MarkAwaitingHydrationAsync(long inboxEventId, string reason, CancellationToken cancellationToken);
}
