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
    OutboxSignal? signal = null) : BackgroundService, IReportsLoopFaults
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

    public IReadOnlyList<LoopFaults> Faults => [_faults];
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
            var failed = false;
            try
            {
                await RefreshBrokenAsync(stoppingToken).ConfigureAwait(false);
                claimed = await ClaimAndStartAsync(stoppingToken).ConfigureAwait(false);
                _faults.Succeeded();
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                // The store is down or full: logged once per outage, claims paused with backoff; the rows wait in the outbox.
                // Anything else is logged as unexpected and waited out the same way, rather than stopping the host.
                wait = _faults.Failed(ex);
                claimed = 0;
                failed = true;
                _schedule.Failed();
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            if (claimed > 0)
                continue;
            if (!failed && _schedule.RecheckAt is { } recheckAt)
                wait = TimeSpan.FromTicks(Math.Max(TimeSpan.TicksPerMillisecond, Math.Min((recheckAt - time.GetUtcNow()).Ticks, wait.Ticks)));
            try
            {
                // After a failed pass the backoff is waited out whole: new rows (each router commit) and finished deliveries
                // wake the wait otherwise, and a claim failing at every pass would be tried at their rate, not backed off.
                if (failed)
                    await Task.Delay(wait, stoppingToken).ConfigureAwait(false);
                else
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
#pragma warning disable CA1031 // Whatever the release met, the leases run out by themselves: the stop goes on.
        catch (Exception ex)
#pragma warning restore CA1031
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
        await delivery.FillKnownCrossReferencesAsync(rows, stoppingToken).ConfigureAwait(false);
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
