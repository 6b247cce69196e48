using System.Collections.Concurrent;
using FieldOps.Integration.Core.Connectors;
using FieldOps.Integration.Core.Credentials;
using FieldOps.Integration.Core.Outbox;
using FieldOps.Integration.Core.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FieldOps.Integration.Core.Dispatch;

/// <summary>
/// The outbox's one consumer per process: claims due rows per connector (up to twice its concurrency, skipping paused
/// connections and connectors whose breaker is open or that were throttled), groups them into calls
/// (<see cref="DeliveryBatches"/>: rows an <see cref="IBatchConnector"/> can share go in one call), starts each call as
/// its connector's slots allow (<see cref="DeliveryLanes"/>) through <see cref="OperationDelivery"/>, and on shutdown
/// stops claiming and starting calls, lets deliveries in flight finish within <see cref="DispatcherOptions.ShutdownTimeout"/>
/// and releases every lease it still holds (rows claimed ahead included). While deliveries run it
/// renews its leases every third of <see cref="DispatcherOptions.LeaseDuration"/> (also while draining), so a vendor
/// call may last longer than one lease, while a dead process's rows are still taken over within one lease.
/// </summary>
internal sealed partial class OutboxDispatcher(
    IEnumerable<IConnector> connectors,
    ConnectorGates gates,
    IOutboxStore store,
    ITokenStore tokenStore,
    ConnectionStatus connections,
    OperationDelivery delivery,
    IOptions<DispatcherOptions> options,
    TimeProvider time,
    InstanceIdentity instance,
    ILogger<OutboxDispatcher> logger,
    OutboxSignal? signal = null) : BackgroundService
{
    private readonly Dictionary<string, IConnector> _byName = connectors.GroupBy(c => c.Name, StringComparer.Ordinal)
        .ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
    private readonly string[] _connectors = connectors.Select(c => c.Name).Distinct(StringComparer.Ordinal).ToArray();
    private readonly ConcurrentDictionary<Task, string> _running = new();
    private readonly DeliveryLanes _lanes = new(options.Value.ConcurrencyPerConnector);
    private readonly ClaimSchedule _schedule = new(options.Value.PollInterval);
    private readonly OutboxSignal _wake = signal ?? new OutboxSignal();
    private readonly CancellationTokenSource _deliveries = new();
    private readonly CancellationTokenSource _renewing = new();
    private Task _renewal = Task.CompletedTask;
    private readonly LoopFaults _faults = new("The outbox dispatcher", logger);
    private DateTimeOffset _brokenReadAt = DateTimeOffset.MinValue;
    private int _disposed;

    /// <summary>This process's lease owner id: its instance id.</summary>
    public string Owner { get; } = instance.Id;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled || _connectors.Length == 0)
            return;
        LogStarted(logger, Owner, string.Join(", ", _connectors));
        _renewal = LeaseRenewal.RunAsync(
            (now, token) => !_lanes.AnyHeld ? Task.FromResult(0) : store.RenewLeasesAsync(Owner, now, options.Value.LeaseDuration, token),
            options.Value.LeaseDuration, time, logger, _renewing.Token);
        while (!stoppingToken.IsCancellationRequested)
        {
            var claimed = 0;
            var wait = options.Value.PollInterval;
            try
            {
                await RefreshBrokenAsync(stoppingToken).ConfigureAwait(false);
                claimed = await ClaimAndStartAsync(stoppingToken).ConfigureAwait(false);
                _faults.Succeeded();
            }
            catch (Exception ex) when ((LoopFaults.IsTransient(ex) || ex is InvalidOperationException) && !stoppingToken.IsCancellationRequested)
            {
                // The store is down or full: logged once per outage, claims paused with backoff; the rows wait in the outbox.
                wait = _faults.Failed(ex);
                claimed = 0;
                _schedule.Failed();
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            if (claimed > 0)
                continue;
            if (_schedule.RecheckAt is { } recheckAt)
                wait = TimeSpan.FromTicks(Math.Max(TimeSpan.TicksPerMillisecond, Math.Min((recheckAt - time.GetUtcNow()).Ticks, wait.Ticks)));
            try
            {
                await _wake.WaitAsync(wait, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        // Stopped after its container was disposed (a host stopped twice, or disposed before it stopped): nothing of it
        // runs any more, and its token sources are gone — seen once in CI as ObjectDisposedException from a test host's
        // shutdown. Its leases, if any, lapse by themselves.
        if (Volatile.Read(ref _disposed) != 0)
            return;
        _lanes.Close(); // calls claimed ahead and not started stay unsent; their leases are released below
        await base.StopAsync(cancellationToken).ConfigureAwait(false); // stops claiming
        var pending = _running.Keys.ToArray();
        if (pending.Length > 0)
        {
            LogDraining(logger, pending.Length, options.Value.ShutdownTimeout);
            var all = Task.WhenAll(pending);
            if (await Task.WhenAny(all, Task.Delay(options.Value.ShutdownTimeout, time, CancellationToken.None)).ConfigureAwait(false) != all)
            {
                if (!await CancelUnlessDisposedAsync(_deliveries).ConfigureAwait(false))
                    return;
                await Task.WhenAny(all, Task.Delay(TimeSpan.FromSeconds(2), time, CancellationToken.None)).ConfigureAwait(false);
            }
        }
        // Disposed while this stop waited (a host disposed during its own shutdown, seen in CI): nothing more to stop.
        if (!await CancelUnlessDisposedAsync(_renewing).ConfigureAwait(false))
            return;
        await _renewal.ConfigureAwait(false);
        try
        {
            LogStopped(logger, await store.ReleaseAllAsync(Owner, CancellationToken.None).ConfigureAwait(false));
        }
        catch (Exception ex) when (LoopFaults.IsTransient(ex))
        {
            // The store is down: the leases run out by themselves and the rows are claimed again after them.
            LogLeasesKept(logger, ex.Message);
        }
    }

    private async Task<bool> CancelUnlessDisposedAsync(CancellationTokenSource source)
    {
        if (Volatile.Read(ref _disposed) != 0)
            return false;
        try
        {
            await source.CancelAsync().ConfigureAwait(false);
            return true;
        }
        catch (ObjectDisposedException)
        {
            return false; // disposed between the check and the cancel
        }
    }

    public override void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
            return;
        _deliveries.Dispose();
        _renewing.Dispose();
        if (signal is null)
            _wake.Dispose();
        base.Dispose();
    }

    /// <summary>
    /// One claim pass: every connector with free slots that <see cref="ClaimSchedule"/> says may have due rows, in one
    /// store transaction; each connector's rows grouped into calls and started.
    /// </summary>
    private async Task<int> ClaimAndStartAsync(CancellationToken stoppingToken)
    {
        var now = time.GetUtcNow();
        _schedule.BeginPass(now, _wake.NewWork);
        var requests = new List<ClaimRequest>(_connectors.Length);
        var finishedBefore = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var connector in _connectors)
        {
            if (!_schedule.ShouldAsk(connector, now, out var finished))
                continue;
            var room = _lanes.Room(connector);
            var allowance = room <= 0 ? 0 : gates[connector].ClaimAllowance(room);
            if (allowance <= 0)
                continue;
            var paused = connections.Broken.Keys
                .Where(k => k.StartsWith(connector + ":", StringComparison.Ordinal))
                .Select(k => k[(connector.Length + 1)..])
                .ToList();
            requests.Add(new ClaimRequest(connector, allowance, paused));
            finishedBefore[connector] = finished;
        }
        if (requests.Count == 0)
            return 0;
        var rows = await store.ClaimAsync(requests, Owner, now, options.Value.LeaseDuration, stoppingToken).ConfigureAwait(false);
        var byConnector = rows.ToLookup(r => r.Operation.Connector, StringComparer.Ordinal);
        foreach (var request in requests)
        {
            var connector = request.Connector;
            var mine = byConnector[connector].ToList();
            _schedule.Claimed(connector, request.Max, mine.Count, finishedBefore[connector], now);
            // A batch is one call and takes a slot per row: at most the concurrency's worth, as when a claim took no more.
            var calls = DeliveryBatches.Group(_byName[connector], mine, options.Value.BatchDelivery,
                Math.Min(options.Value.MaxBatchSize, options.Value.ConcurrencyPerConnector));
            Start(connector, _lanes.Add(connector, calls));
        }
        return rows.Count;
    }

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
            _lanes.WrittenBack(connector, call.Count);
            _schedule.Finished(connector);
            _wake.Wake();
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
            _lanes.WrittenBack(connector, call.Count);
            _schedule.Finished(connector);
            _wake.Wake();
        }
    }

    private async Task RefreshBrokenAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (now - _brokenReadAt < options.Value.BrokenConnectionsRefresh)
            return;
        _brokenReadAt = now;
        connections.Reset(await tokenStore.ListBrokenAsync(cancellationToken).ConfigureAwait(false));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Outbox dispatcher {Owner} started for {Connectors}")]
    private static partial void LogStarted(ILogger logger, string owner, string connectors);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox dispatcher stopped without releasing its leases ({Detail}); they run out by themselves")]
    private static partial void LogLeasesKept(ILogger logger, string detail);

    [LoggerMessage(Level = LogLevel.Information, Message = "Shutting down: waiting up to {Timeout} for {Count} deliveries in flight")]
    private static partial void LogDraining(ILogger logger, int count, TimeSpan timeout);

    [LoggerMessage(Level = LogLevel.Information, Message = "Outbox dispatcher stopped; released {Released} leases")]
    private static partial void LogStopped(ILogger logger, int released);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Delivery of {OutboxMessageId} abandoned at shutdown; its lease is released")]
    private static partial void LogAbandoned(ILogger logger, string outboxMessageId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Delivery of {OutboxMessageId} failed outside the connector; the row is claimed again when its lease expires")]
    private static partial void LogDeliveryFailed(ILogger logger, string outboxMessageId, Exception exception);
}
