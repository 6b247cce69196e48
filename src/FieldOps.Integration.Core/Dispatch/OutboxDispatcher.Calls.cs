using FieldOps.Integration.Core.Outbox;
using FieldOps.Integration.Core.Storage;

namespace FieldOps.Integration.Core.Dispatch;

/// <summary>The dispatcher's calls: started from its lanes as slots allow, run, and their rows given back.</summary>
internal sealed partial class OutboxDispatcher
{
    /// <summary>
    /// Starts <paramref name="calls"/> (their slots are taken), as many rows as the connector's gate lets through now (one
    /// probe while its breaker is half-open). What it does not start goes back to the outbox unsent, as if never
    /// claimed: a call of a connection found broken since its claim, the calls over the gate's allowance, and — when the
    /// gate lets nothing through (a throttle's pause, an open breaker) — every call waiting in the lane too.
    /// </summary>
    private void Start(string connector, List<IReadOnlyList<ClaimedOperation>> calls)
    {
        if (calls.Count == 0)
            return;
        var allowance = gates[connector].ClaimAllowance(calls.Sum(c => c.Count));
        var paused = allowance <= 0;
        var start = new List<IReadOnlyList<ClaimedOperation>>(calls.Count);
        var back = new List<IReadOnlyList<ClaimedOperation>>();
        foreach (var call in calls)
        {
            if (allowance > 0 && !connections.Broken.ContainsKey($"{connector}:{call[0].Operation.Connection}"))
            {
                start.Add(call);
                allowance -= call.Count;
            }
            else
            {
                back.Add(call);
            }
        }
        var unsent = back.Count == 0 ? back : _lanes.Unstart(connector, back, waitingToo: paused);
        // Each delivery starts in a context of its own: started from another's answer, it would inherit that one's log
        // scope and span (and the next one both, a chain growing with every delivery).
        AsyncFlowControl? flow = ExecutionContext.IsFlowSuppressed() ? null : ExecutionContext.SuppressFlow();
        try
        {
            foreach (var call in unsent)
                Track(connector, ReleaseUnsentAsync(connector, call));
            foreach (var call in start)
                Track(connector, RunAsync(connector, call));
        }
        finally
        {
            flow?.Undo();
        }
    }

    private void Track(string connector, Task task)
    {
        _running.TryAdd(task, connector);
        _ = task.ContinueWith(t => _running.TryRemove(t, out _), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    private async Task RunAsync(string connector, IReadOnlyList<ClaimedOperation> call)
    {
        await Task.Yield();
        var calling = 1;
        // The call's slots are given back when the vendor has answered (before the write-back), at the end at the latest,
        // and the calls waiting in the lane take them at once.
        void CallEnded()
        {
            if (Interlocked.Exchange(ref calling, 0) != 0)
                Start(connector, _lanes.Answered(connector, call.Count));
        }
        try
        {
            if (_lanes.Closed)
            {
                // Started as the dispatcher stopped, after its drain began: not called; its lease is released with the others.
                foreach (var row in call)
                    LogAbandoned(logger, row.Operation.Id);
                return;
            }
            if (call.Count == 1)
                await delivery.DeliverAsync(call[0], Owner, _deliveries.Token, CallEnded).ConfigureAwait(false);
            else
                await delivery.DeliverBatchAsync(call, Owner, _deliveries.Token, CallEnded).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_deliveries.IsCancellationRequested)
        {
            foreach (var row in call)
                LogAbandoned(logger, row.Operation.Id);
        }
#pragma warning disable CA1031 // The loop must survive a failing write-back: the lease expires and the row is claimed again.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            if (LoopFaults.IsTransient(ex))
                _faults.Failed(ex); // the store failed the write-back: logged once per outage, not per row
            else
            {
                foreach (var row in call)
                    LogDeliveryFailed(logger, row.Operation.Id, ex);
            }
        }
        finally
        {
            CallEnded();
            WrittenBack(connector, call.Count);
        }
    }

    // Calls claimed ahead for a connector that was paused before they started: each row back to the outbox, no attempt counted.
    private async Task ReleaseUnsentAsync(string connector, IReadOnlyList<ClaimedOperation> call)
    {
        await Task.Yield();
        try
        {
            foreach (var row in call)
            {
                try
                {
                    await delivery.ReleaseUnsentAsync(row, Owner).ConfigureAwait(false);
                }
#pragma warning disable CA1031 // As a failed write-back: the lease expires and the row is claimed again.
                catch (Exception ex)
#pragma warning restore CA1031
                {
                    if (LoopFaults.IsTransient(ex))
                        _faults.Failed(ex);
                    else
                        LogDeliveryFailed(logger, row.Operation.Id, ex);
                }
            }
        }
        finally
        {
            WrittenBack(connector, call.Count);
        }
    }

    // A call's rows are written back (or let go): no longer held; the next rows of their keys may be due.
    private void WrittenBack(string connector, int rows)
    {
        _lanes.WrittenBack(connector, rows);
        _schedule.Finished(connector);
        _wake.Wake();
    }
}
