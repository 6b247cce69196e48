using FieldOps.Integration.Core.Outbox;
using FieldOps.Integration.Core.Routing;

namespace FieldOps.Integration.Core.Operations;

/// <summary>Counts events routed (not those found stale), parked and unmatched on their way to the real routing store.</summary>
internal sealed class MeteredRoutingStore(IRoutingStore inner, OperationsMetrics metrics) : IRoutingStore
{
    public async Task<int> CommitRoutedAsync(long inboxEventId, IReadOnlyList<NewOutboxRow> rows, CancellationToken cancellationToken)
    {
        var added = await inner.CommitRoutedAsync(inboxEventId, rows, cancellationToken).ConfigureAwait(false);
        metrics.EventsRouted(1);
        return added;
    }

    public async Task<VersionedRoutingResult> CommitRoutedAsync(
        long inboxEventId, IReadOnlyList<NewOutboxRow> rows, EntityVersionClaim version, CancellationToken cancellationToken)
    {
        var result = await inner.CommitRoutedAsync(inboxEventId, rows, version, cancellationToken).ConfigureAwait(false);
        if (result.State == Inbox.InboxEventState.Routed)
            metrics.EventsRouted(1);
        return result;
    }

    public async Task<IReadOnlyList<VersionedRoutingResult>> CommitRoutedBatchAsync(IReadOnlyList<RoutedEvent> events, CancellationToken cancellationToken)
    {
        var results = await inner.CommitRoutedBatchAsync(events, cancellationToken).ConfigureAwait(false);
        metrics.EventsRouted(results.Count(r => r.State == Inbox.InboxEventState.Routed));
        // An event whose flows partly failed is parked (its good flows' rows are written all the same).
        foreach (var _ in results.Where(r => r.State == Inbox.InboxEventState.Parked))
            metrics.EventParked();
        return results;
    }

    public async Task<bool> MarkParkedAsync(long inboxEventId, string reason, CancellationToken cancellationToken)
    {
        var marked = await inner.MarkParkedAsync(inboxEventId, reason, cancellationToken).ConfigureAwait(false);
        if (marked)
            metrics.EventParked();
        return marked;
    }

    public async Task<bool> MarkUnmatchedAsync(long inboxEventId, string reason, CancellationToken cancellationToken)
    {
        var marked = await inner.MarkUnmatchedAsync(inboxEventId, reason, cancellationToken).ConfigureAwait(false);
        if (marked)
            metrics.EventUnmatched();
        return marked;
    }

    public bool IsStoreSideFault(Exception exception) => inner.IsStoreSideFault(exception);

    public Task<bool> MarkAwaitingHydrationAsync(long inboxEventId, string reason, CancellationToken cancellationToken) =>
        inner.MarkAwaitingHydrationAsync(inboxEventId, reason, cancellationToken);
}
