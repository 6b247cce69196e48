using System.Data.Common;
using System.Runtime.ExceptionServices;
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
    /// time, as the inbox's <c>GroupCommit</c> tries its items alone, and one that fails alone is parked naming the error —
    /// when another event of the same group then wrote its rows, so the store takes writes. Otherwise a fault every write
    /// meets (a schema a failed upgrade or another instance's migration left behind, a driver fault not known as the
    /// store's) would park every event it touched: it is thrown instead, as a store fault
    /// (<see cref="IRoutingStore.IsStoreSideFault"/>) is, and the service backs off, nothing parked, the claim's lease
    /// giving the events back (also when it ends the one-at-a-time commits midway). A refused event alone in its group
    /// waits so for the next claim, where newer events join it.
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
            if (group.Count > 1)
                LogCommittingEachAlone(group.Count, ex.GetType().Name, ex.Message, ex);
            var refused = new List<(RoutedEvent Event, ExceptionDispatchInfo Fault)>();
            var wrote = false;
            foreach (var routed in group)
            {
                // Those the group's transaction committed before it failed (SQLite commits what it wrote when a webhook
                // waits for the write lock) are found no longer new: nothing is written twice, and nothing counts as
                // written (only rows added in this pass show the store takes writes).
                try
                {
                    var results = await routing.CommitRoutedBatchAsync([routed], cancellationToken).ConfigureAwait(false);
                    Committed([routed], results);
                    wrote |= results[0].Added > 0;
                }
                catch (Exception alone) when (IsTheData(alone, cancellationToken))
                {
                    refused.Add((routed, ExceptionDispatchInfo.Capture(alone)));
                }
            }
            if (refused.Count > 0 && !wrote)
                refused[0].Fault.Throw();
            foreach (var (routed, fault) in refused)
                await CommitFailedAsync(routed, fault.SourceException, cancellationToken).ConfigureAwait(false);
        }
        group.Clear();
        signal?.Notify();
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

    // Not while stopping, not a cancelled commit (either says nothing about the data), not a fault the store would give
    // any write, and only what a value can cause: the driver's or the server's refusal (DbException), or a parameter the
    // driver cannot send (ArgumentException: Npgsql's EncoderFallbackException for half a surrogate pair). An
    // InvalidOperationException is the driver's state (SqlClient's pool timeout is one), never a value.
    private bool IsTheData(Exception exception, CancellationToken cancellationToken) =>
        !cancellationToken.IsCancellationRequested && exception is DbException or ArgumentException or FormatException or InvalidCastException or OverflowException
        && !routing.IsStoreSideFault(exception);

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
