using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using FieldOps.Integration.Core.Inbox;
using FieldOps.Integration.Core.Intake;
using FieldOps.Integration.Core.Secrets;
using FieldOps.Integration.Core.Sources;
using FieldOps.Integration.Core.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FieldOps.Integration.Core.Hydration;

/// <summary>
/// Hydrates thin events: finds those the router marked awaiting hydration, coalesces them per entity, fetches each
/// entity once through its source's <see cref="IRecordHydrator"/>, and hands the events back to the router with the
/// record added. Throttling pauses the source; other failures retry with doubling delays up to a limit, after which
/// the events stay unmatched with the error for an admin. Each source's last fetch error (or its recovery) is recorded
/// in the store for readiness and <c>fieldops sources</c>. A <c>WebhookOnly</c> source is not fetched: its events wait.
/// </summary>
internal sealed partial class HydrationService(
    RecordHydrators recordHydrators,
    ISourceStore store,
    IOptionsMonitor<SourcesOptions> sources,
    IOptions<HydrationOptions> options,
    TimeProvider time,
    SecretScrubber scrubber,
    ILogger<HydrationService> logger) : BackgroundService
{
    private const int ScanLimit = 512;

    // Events can become awaiting hydration behind the scan position (an admin re-routes an old event), so the scan
    // starts over from the beginning now and then; events already waiting or hydrated are not fetched twice.
    private static readonly TimeSpan RescanInterval = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromMinutes(5);

    private readonly Lock _gate = new();
    private readonly LoopFaults _faults = new("Hydration", logger);
    private readonly ConcurrentDictionary<string, DateTimeOffset> _pausedUntil = new(StringComparer.OrdinalIgnoreCase);
    // Per source, this process's last outcome: the failure, or null for a success already written to the store (so a
    // success is written once per recovery, not per fetch). No entry: nothing known yet.
    private readonly ConcurrentDictionary<string, SourceFailure?> _last = new(StringComparer.OrdinalIgnoreCase);
    private HydrationCoalescer? _coalescer;
    private long _fetches;

    /// <summary>How many fetches this process has made (for tests and metrics).</summary>
    public long Fetches => Interlocked.Read(ref _fetches);

    /// <summary>The sources whose last fetch in this process failed, with that error (scrubbed); a success clears one.</summary>
    public IReadOnlyDictionary<string, SourceFailure> FailingSources =>
        _last.Where(e => e.Value is not null).ToDictionary(e => e.Key, e => e.Value!, StringComparer.OrdinalIgnoreCase);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        _coalescer = new HydrationCoalescer(settings.Debounce, settings.MaxDelay);
        using var slots = new SemaphoreSlim(Math.Max(1, settings.Concurrency));
        var running = new List<Task>();
        long afterId = 0;
        var lastRescan = time.GetUtcNow();
        while (!stoppingToken.IsCancellationRequested)
        {
            if (time.GetUtcNow() - lastRescan >= RescanInterval)
                (afterId, lastRescan) = (0, time.GetUtcNow());
            var hydrators = Hydrators();
            var wait = settings.ScanInterval;
            try
            {
                if (hydrators.Count > 0)
                    afterId = await ScanAsync(hydrators, afterId, stoppingToken).ConfigureAwait(false);
                _faults.Succeeded();
            }
            catch (Exception ex) when (LoopFaults.IsTransient(ex) && !stoppingToken.IsCancellationRequested)
            {
                wait = _faults.Failed(ex); // the store is down: the events wait in the inbox
            }
            List<HydrationCoalescer.HydrationGroup> due;
            lock (_gate)
                due = _coalescer.TakeDue(time.GetUtcNow(), IsPaused);
            foreach (var group in due)
            {
                await slots.WaitAsync(stoppingToken).ConfigureAwait(false);
                running.Add(RunAsync(hydrators[group.Key.Source], group, slots, stoppingToken));
            }
            running.RemoveAll(t => t.IsCompleted);
            await Task.Delay(wait, time, stoppingToken).ConfigureAwait(false);
        }
        await Task.WhenAll(running).ConfigureAwait(false);
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

    private bool IsPaused(string source) => _pausedUntil.TryGetValue(source, out var until) && until > time.GetUtcNow();

    private async Task<long> ScanAsync(Dictionary<string, IRecordHydrator> hydrators, long afterId, CancellationToken cancellationToken)
    {
        var events = await store.ListAwaitingHydrationAsync(hydrators.Keys, afterId, ScanLimit, cancellationToken).ConfigureAwait(false);
        foreach (var inboxEvent in events)
        {
            afterId = inboxEvent.Id;
            var hydrator = hydrators.First(h => string.Equals(h.Key, inboxEvent.Source, StringComparison.OrdinalIgnoreCase)).Value;
            var request = Describe(hydrator, inboxEvent);
            if (request is null)
            {
                await store.MarkHydrationFailedAsync([inboxEvent.Id], "hydration: the event names no entity this source can fetch", cancellationToken)
                    .ConfigureAwait(false);
                continue;
            }
            lock (_gate)
                _coalescer!.Add(request, inboxEvent.Id, inboxEvent.PayloadJson, time.GetUtcNow(), inboxEvent.TraceParent);
        }
        return afterId;
    }

    private static HydrationRequest? Describe(IRecordHydrator hydrator, InboxEvent inboxEvent)
    {
        try
        {
            return JsonNode.Parse(inboxEvent.PayloadJson) is { } payload ? hydrator.Describe(inboxEvent.Source, payload) : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private async Task RunAsync(IRecordHydrator hydrator, HydrationCoalescer.HydrationGroup group, SemaphoreSlim slots, CancellationToken cancellationToken)
    {
        try
        {
            await HydrateAsync(hydrator, group, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Shutting down: the events are still awaiting hydration in the inbox; the next start picks them up.
        }
        catch (Exception ex) when (LoopFaults.IsTransient(ex))
        {
            // The store failed the write-back: the record is fetched again once the store is back (no attempt used).
            var wait = _faults.Failed(ex);
            lock (_gate)
                _coalescer!.Retry(group, time.GetUtcNow() + wait);
        }
        finally
        {
            slots.Release();
        }
    }

    private async Task HydrateAsync(IRecordHydrator hydrator, HydrationCoalescer.HydrationGroup group, CancellationToken cancellationToken)
    {
        var request = group.Request;
        using var activity = HydrationTracing.Start(group);
        HydratedRecord fetched;
        try
        {
            Interlocked.Increment(ref _fetches);
            fetched = await hydrator.FetchAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (SourceThrottledException ex)
        {
            // A throttle is the source pacing us, not a failure: it costs no attempt.
            var until = time.GetUtcNow() + ex.RetryAfter;
            _pausedUntil[request.Source] = until;
            LogThrottled(request.Source, ex.RetryAfter);
            lock (_gate)
                _coalescer!.Retry(group, until);
            return;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            await FailAsync(group, ex, cancellationToken).ConfigureAwait(false);
            return;
        }
        if (fetched.Record is null)
        {
            await store.MarkHydrationFailedAsync(group.Events.Select(e => e.EventId).ToList(),
                $"hydration: {request.Source} no longer has {request.EntityType} {request.EntityId}", cancellationToken).ConfigureAwait(false);
            lock (_gate)
                _coalescer!.Complete(group);
            return;
        }
        var events = group.Events.OrderBy(e => e.EventId).Select(e => new HydratedEvent(e.EventId, e.Topic, Compose(e.PayloadJson, fetched.Record))).ToList();
        var verdicts = await store.CompleteHydrationAsync(
            new HydrationCommit(request.Source, request.EntityType, request.EntityId, fetched.Version, events), cancellationToken).ConfigureAwait(false);
        lock (_gate)
            _coalescer!.Complete(group);
        await RecordOutcomeAsync(request.Source, null).ConfigureAwait(false);
        LogHydrated(request.Source, request.EntityType, request.EntityId, events.Count, verdicts.Count(v => v.State == InboxEventState.New));
        activity?.SetTag("fieldops.hydration.outcome", "hydrated");
    }

    private async Task FailAsync(HydrationCoalescer.HydrationGroup group, Exception ex, CancellationToken cancellationToken)
    {
        group.Attempts++;
        var settings = options.Value;
        var request = group.Request;
        var error = scrubber.Scrub($"{request.EntityType} {request.EntityId}: {ex.Message}");
        await RecordOutcomeAsync(request.Source, error).ConfigureAwait(false);
        if (group.Attempts >= settings.MaxAttempts)
        {
            LogGaveUp(ex, request.Source, request.EntityType, request.EntityId, group.Attempts);
            await store.MarkHydrationFailedAsync(group.Events.Select(e => e.EventId).ToList(),
                $"hydration failed after {group.Attempts} attempts: {scrubber.Scrub(ex.Message)}", cancellationToken).ConfigureAwait(false);
            lock (_gate)
                _coalescer!.Complete(group);
            return;
        }
        var delay = TimeSpan.FromTicks(Math.Min(MaxRetryDelay.Ticks, settings.RetryDelay.Ticks * (1L << Math.Min(group.Attempts - 1, 20))));
        // The message only (the log sink scrubs it): a stack trace at every retry of an expected vendor failure is noise; it is logged once, at give-up.
        LogRetry(request.Source, request.EntityType, request.EntityId, group.Attempts, settings.MaxAttempts, delay, ex.Message);
        lock (_gate)
            _coalescer!.Retry(group, time.GetUtcNow() + delay);
    }

    // Where an admin looks (readiness, `fieldops sources`): every failure with its message, and the first success after
    // one (or the first in this process). The store being down must not stop hydration: the write is skipped then.
    private async Task RecordOutcomeAsync(string source, string? error)
    {
        if (error is null && _last.TryGetValue(source, out var last) && last is null)
            return;
        _last[source] = error is null ? null : new SourceFailure(error, time.GetUtcNow());
        try
        {
            await store.RecordHydrationAsync(source, time.GetUtcNow(), error, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (LoopFaults.IsTransient(ex))
        {
            // The store is down: a failure stays known here for readiness; a success is written with the next one.
            if (error is null)
                _last.TryRemove(source, out _);
        }
    }

    private static string Compose(string payloadJson, JsonNode record)
    {
        var payload = JsonNode.Parse(payloadJson)!.AsObject();
        payload[HydrationHook.RecordProperty] = record.DeepClone();
        return payload.ToJsonString();
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Hydrated {Source} {EntityType} {EntityId}: {EventCount} events, {NewCount} to route")]
    private partial void LogHydrated(string source, string entityType, string entityId, int eventCount, int newCount);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Source {Source} throttled hydration; pausing it for {Wait}")]
    private partial void LogThrottled(string source, TimeSpan wait);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Hydrating {Source} {EntityType} {EntityId} failed (attempt {Attempt} of {MaxAttempts}); retrying in {Delay}: {Error}")]
    private partial void LogRetry(string source, string entityType, string entityId, int attempt, int maxAttempts, TimeSpan delay, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Hydrating {Source} {EntityType} {EntityId} failed {Attempt} times; its events stay unmatched")]
    private partial void LogGaveUp(Exception ex, string source, string entityType, string entityId, int attempt);
}
