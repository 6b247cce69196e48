using FieldOps.Integration.Core.Inbox;
using FieldOps.Integration.Core.Text;

namespace FieldOps.Integration.Core.Routing;

// How the router commits what it mapped, and what it does with a commit the store refuses for an event's data.
public sealed partial class MappingRouter
{
    // How much of a driver's or the server's message a park reason quotes.
    private const int CommitErrorLength = 500;

    /// <summary>
    /// One transaction for the group's events; then the dispatcher of this process is told there are rows. A group whose
    /// commit fails on its data rather than the store (a value the column or the driver refuses, a constraint one
    /// event's rows break) would fail at every try and hold back every event after it: its events are committed one at a
    /// time, as the inbox's <c>GroupCommit</c> tries its items alone, and one that fails alone is parked naming the error.
    /// A store fault (<see cref="IRoutingStore.IsStoreSideFault"/>) is thrown, as before: the service backs off, nothing
    /// is parked, and the claim's lease gives the events back — also when it ends the one-at-a-time commits midway.
    /// </summary>
    private async Task CommitAsync(List<RoutedEvent> group, CancellationToken cancellationToken)
    {
        if (group.Count == 0)
            return;
        try
        {
            Committed(group, await routing.CommitRoutedBatchAsync(group, cancellationToken).ConfigureAwait(false));
        }
        catch (Exception ex) when (IsTheData(ex, cancellationToken))
        {
            if (group.Count == 1)
                await CommitFailedAsync(group[0], ex, cancellationToken).ConfigureAwait(false);
            else
            {
                LogCommittingEachAlone(group.Count, ex.GetType().Name, ex.Message, ex);
                foreach (var routed in group)
                    await CommitAloneAsync(routed, cancellationToken).ConfigureAwait(false);
            }
        }
        group.Clear();
        signal?.Notify();
    }

    // An event of a group that failed, in a transaction of its own. Those the group's transaction committed before it
    // failed (SQLite commits what it wrote when a webhook waits for the write lock) are found no longer new: nothing is
    // written twice.
    private async Task CommitAloneAsync(RoutedEvent routed, CancellationToken cancellationToken)
    {
        try
        {
            Committed([routed], await routing.CommitRoutedBatchAsync([routed], cancellationToken).ConfigureAwait(false));
        }
        catch (Exception ex) when (IsTheData(ex, cancellationToken))
        {
            await CommitFailedAsync(routed, ex, cancellationToken).ConfigureAwait(false);
        }
    }

    // Committed again, it would fail again: the event is parked (nothing of it written), visibly, with the error.
    private async Task CommitFailedAsync(RoutedEvent routed, Exception exception, CancellationToken cancellationToken)
    {
        using var traced = RoutingTracing.LogScope(logger, routed.TraceParent);
        LogCommitRefused(routed.InboxEventId, exception);
        await ParkAsync(routed.InboxEventId,
            $"the store refused the event's routing commit ({exception.GetType().Name}: {TextCut.Excerpt(exception.Message, CommitErrorLength)}); " +
            "nothing of it was written: fix the mapping or the data, then re-route it", cancellationToken).ConfigureAwait(false);
    }

    // Not while stopping, not a cancelled commit (either says nothing about the data), and not a fault the store would
    // give any write.
    private bool IsTheData(Exception exception, CancellationToken cancellationToken) =>
        !cancellationToken.IsCancellationRequested && exception is not OperationCanceledException && !routing.IsStoreSideFault(exception);

    private void Committed(List<RoutedEvent> group, IReadOnlyList<VersionedRoutingResult> results)
    {
        for (var i = 0; i < group.Count; i++)
        {
            using var traced = RoutingTracing.LogScope(logger, group[i].TraceParent);
            if (results[i].State == InboxEventState.Stale)
                LogStale(group[i].InboxEventId, results[i].Reason!);
            else
            {
                LogRouted(group[i].InboxEventId, group[i].Rows.Count, results[i].Added, Describe(group[i].Rows));
                if (results[i].State == InboxEventState.Parked)
                    LogParked(group[i].InboxEventId, results[i].Reason!);
            }
        }
    }
}
