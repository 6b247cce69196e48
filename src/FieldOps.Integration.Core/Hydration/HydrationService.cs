using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using FieldOps.Integration.Core.Inbox;
using FieldOps.Integration.Core.Intake;
using FieldOps.Integration.Core.Secrets;
using FieldOps.Integration.Core.Sources;
using FieldOps.Integration.Core.Storage;
using FieldOps.Integration.Core.Text;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FieldOps.Integration.Core.Hydration;

/// <summary>
/// Hydrates thin events, shared by every process on one database (<see cref="IHydrationStore"/>): registers the events
/// the router marked awaiting hydration under their entity, claims entities whose coalescing window has passed with a
/// lease (renewed while a fetch runs; a dead process's lease is taken over when it expires), fetches each entity once
/// through its source's <see cref="IRecordHydrator"/>, and hands the events back to the router with the record added.
/// A throttle pauses the source for every process; other failures count an attempt on each event and retry with
/// doubling delays, and an event that has failed <see cref="HydrationOptions.MaxAttempts"/> times stays unmatched with
/// the error. Each source's last fetch error (or its recovery) is recorded for readiness and <c>fieldops sources</c>.
/// A <c>WebhookOnly</c> source is not fetched: its events wait.
/// </summary>
internal sealed partial class HydrationService(
    RecordHydrators recordHydrators,
    ISourceStore store,
    IHydrationStore claims,
    InstanceIdentity instance,
    IOptionsMonitor<SourcesOptions> sources,
    IOptions<HydrationOptions> options,
    TimeProvider time,
    SecretScrubber scrubber,
    ILogger<HydrationService> logger) : BackgroundService, IReportsLoopFaults
{
    private const int ScanLimit = 512;
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromMinutes(5);

    private readonly LoopFaults _faults = new("Hydration", logger);
    // The write-backs' own streak: a scan that succeeds must not reset their backoff (it did, so a write-back the store
    // kept refusing was fetched again every half second).
    private readonly LoopFaults _writeBackFaults = new("Hydration's write-back", logger);

    public IReadOnlyList<LoopFaults> Faults => [_faults, _writeBackFaults];
    // The entities this process holds a lease on (renewed while held), and those whose write-back the store refused,
    // fetched again once it is back.
    private readonly ConcurrentDictionary<string, HydrationClaim> _held = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (HydrationClaim Claim, DateTimeOffset At)> _storeRetries = new(StringComparer.Ordinal);
    // Per source, this process's last outcome: the failure, or null for a success already written to the store (so a
    // success is written once per recovery, not per fetch). No entry: nothing known yet.
    private readonly ConcurrentDictionary<string, SourceFailure?> _last = new(StringComparer.OrdinalIgnoreCase);
    private long _fetches;

    /// <summary>How many fetches this process has made (for tests and metrics).</summary>
    public long Fetches => Interlocked.Read(ref _fetches);

    /// <summary>The instance id this process claims entities as.</summary>
    public string Owner => instance.Id;

    /// <summary>The sources whose last fetch in this process failed, with that error (scrubbed); a success clears one.</summary>
    public IReadOnlyDictionary<string, SourceFailure> FailingSources =>
        _last.Where(e => e.Value is not null).ToDictionary(e => e.Key, e => e.Value!, StringComparer.OrdinalIgnoreCase);

    private HydrationWindow Window => new(options.Value.Debounce, options.Value.MaxDelay);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        using var slots = new SemaphoreSlim(Math.Max(1, settings.Concurrency));
        using var renewing = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var renewal = LeaseRenewal.RunAsync(
            (now, token) => _held.IsEmpty ? Task.FromResult(0) : claims.RenewAsync(Owner, _held.Keys.ToList(), now, settings.LeaseDuration, token),
            settings.LeaseDuration, time, logger, renewing.Token);
        var running = new List<Task>();
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var hydrators = Hydrators();
                var wait = settings.ScanInterval;
                var claimed = new List<HydrationClaim>();
                try
                {
                    if (hydrators.Count > 0)
                    {
                        await RegisterAsync(hydrators, stoppingToken).ConfigureAwait(false);
                        claimed.AddRange(TakeStoreRetries());
                        claimed.AddRange(await claims.ClaimAsync(hydrators.Keys, slots.CurrentCount - claimed.Count, Owner, time.GetUtcNow(),
                            settings.LeaseDuration, stoppingToken).ConfigureAwait(false));
                    }
                    _faults.Succeeded();
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                {
                    // The store is down: the events wait in the inbox. A fault of another kind is logged as unexpected and
                    // waited out the same way: escaping, it would stop the host.
                    wait = _faults.Failed(ex);
                }
                foreach (var claim in claimed)
                {
                    _held[claim.EntityKey] = claim;
                    await slots.WaitAsync(stoppingToken).ConfigureAwait(false);
                    running.Add(RunAsync(hydrators.GetValueOrDefault(claim.Source), claim, slots, stoppingToken));
                }
                running.RemoveAll(t => t.IsCompleted);
                await Task.Delay(wait, time, stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            await Task.WhenAll(running).ConfigureAwait(false);
            await renewing.CancelAsync().ConfigureAwait(false);
            await renewal.ConfigureAwait(false);
            await ReleaseHeldAsync().ConfigureAwait(false);
        }
    }

    private Dictionary<string, IRecordHydrator> Hydrators()
    {
        var found = new Dictionary<string, IRecordHydrator>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, source) in sources.CurrentValue)
        {
            if (!source.WebhookOnly && recordHydrators.Find(source.Kind) is { } hydrator)
                found[name] = hydrator;
        }
        return found;
    }

    // Every process registers what it sees; the first registration of an event wins, and each one moves its entity's window.
    private async Task RegisterAsync(Dictionary<string, IRecordHydrator> hydrators, CancellationToken cancellationToken)
    {
        var events = await claims.ListUnregisteredAsync(hydrators.Keys, ScanLimit, cancellationToken).ConfigureAwait(false);
        var registrations = new List<HydrationRegistration>(events.Count);
        foreach (var inboxEvent in events)
        {
            if (hydrators.GetValueOrDefault(inboxEvent.Source) is { } hydrator && Describe(hydrator, inboxEvent) is { } request)
            {
                registrations.Add(new HydrationRegistration(inboxEvent.Id, request));
                continue;
            }
            await store.MarkHydrationFailedAsync([inboxEvent.Id], "hydration: the event names no entity this source can fetch", cancellationToken)
                .ConfigureAwait(false);
        }
        await claims.RegisterAsync(registrations, Window, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
    }

    private List<HydrationClaim> TakeStoreRetries()
    {
        var now = time.GetUtcNow();
        var due = new List<HydrationClaim>();
        foreach (var (key, retry) in _storeRetries)
        {
            if (retry.At <= now && _storeRetries.TryRemove(key, out _))
                due.Add(retry.Claim);
        }
        return due;
    }

    private static HydrationRequest? Describe(IRecordHydrator hydrator, InboxEvent inboxEvent)
    {
        try
        {
            return JsonNode.Parse(JsonSurrogates.Mend(inboxEvent.PayloadJson)) is { } payload ? hydrator.Describe(inboxEvent.Source, payload) : null;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Not JSON, or a payload the source's hydrator cannot read (whatever it throws): the event names no entity.
            // Escaping, the fault would stop every registration after it, at every scan.
            return null;
        }
    }

    private async Task RunAsync(IRecordHydrator? hydrator, HydrationClaim claim, SemaphoreSlim slots, CancellationToken cancellationToken)
    {
        var keep = false;
        try
        {
            if (hydrator is not null)
                await HydrateAsync(hydrator, claim, cancellationToken).ConfigureAwait(false);
            _writeBackFaults.Succeeded();
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Shutting down: the lease is given back at the end, and another process (or the next start) fetches the entity.
            keep = true;
        }
        catch (Exception ex) when (LoopFaults.IsTransient(ex))
        {
            // The store failed the write-back: the lease stays ours (renewed), and the record is fetched again once the
            // store is back (no attempt used). Should this process die meanwhile, the lease expires and another takes over.
            keep = true;
            _storeRetries[claim.EntityKey] = (claim, time.GetUtcNow() + _writeBackFaults.Failed(ex));
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            // A fault of another kind (logged once as unexpected): the lease is no longer renewed and lapses, and the entity
            // is claimed again then. Escaping, it faulted a task no one awaits (finished tasks are dropped from the list),
            // unobserved and unlogged.
            _writeBackFaults.Failed(ex);
        }
        finally
        {
            if (!keep)
                _held.TryRemove(claim.EntityKey, out _);
            slots.Release();
        }
    }

    private async Task ReleaseHeldAsync()
    {
        if (_held.IsEmpty)
            return;
        try
        {
            await claims.ReleaseAllAsync(Owner, CancellationToken.None).ConfigureAwait(false);
            _held.Clear();
        }
        catch (Exception ex) when (LoopFaults.IsTransient(ex))
        {
            // The store is down: the leases expire on their own and other processes take the entities over then.
        }
    }
}
