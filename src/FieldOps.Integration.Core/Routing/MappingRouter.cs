using System.Text.Json;
using FieldOps.Integration.Core.CrossReferences;
using FieldOps.Integration.Core.Hydration;
using FieldOps.Integration.Core.Inbox;
using FieldOps.Integration.Core.Intake;
using FieldOps.Integration.Core.Mapping.Evaluation;
using FieldOps.Integration.Core.Mapping.Loading;
using FieldOps.Integration.Core.Mapping.Model;
using FieldOps.Integration.Core.Outbox;
using FieldOps.Integration.Core.Secrets;
using FieldOps.Integration.Core.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using FieldOps.Integration.Core.Text;

namespace FieldOps.Integration.Core.Routing;

/// <summary>
/// Routes new inbox events: source profile, matching flows, one outbox row per operation — written in one
/// transaction with marking the event routed. An event whose canonical envelope carries a source version is checked
/// against the per-entity version ledger in that transaction: an older or already routed version is marked stale. A mapping failure parks the event with its reason; an event no flow
/// takes is marked unmatched. An event that does not meet its profile's <c>requires</c> awaits hydration when its
/// source kind has a hydrator, else it is unmatched. Nothing is dropped.
/// </summary>
public sealed partial class MappingRouter(
    IInboxStore inbox,
    IRoutingStore routing,
    ICrossReferenceStore crossReferences,
    MappingCatalog catalog,
    RecordHydrators hydrators,
    IOptionsMonitor<SourcesOptions> sources,
    IOptions<MappingOptions> options,
    TimeProvider time,
    ILogger<MappingRouter> logger,
    IOptions<CompanyOptions>? company = null,
    OutboxSignal? signal = null,
    SecretScrubber? scrubber = null,
    EventEnricher? enricher = null,
    InstanceIdentity? instance = null)
{
    /// <summary>
    /// How long a router's claim on the new events it is routing lasts: long enough for a batch's mapping and commit;
    /// when the process dies, another takes its events after this.
    /// </summary>
    public static readonly TimeSpan ClaimLease = TimeSpan.FromSeconds(30);

    // Who claims the new events: the instance among several processes (or this router alone).
    private readonly string _owner = instance?.Id ?? "router:" + Guid.NewGuid().ToString("N")[..8];

    private readonly MappingEngine _engine = new(time, options.Value.ExpressionTimeLimit, company?.Value);

    /// <summary>Routes up to one batch of new events; returns how many it handled (0: nothing new, or no mappings loaded).</summary>
    public async Task<int> RouteBatchAsync(CancellationToken cancellationToken)
    {
        if (catalog.Current is not { } set)
            return 0;
        // Events set aside after a failed enrich read come back as new when their retry is due.
        if (enricher is not null)
            await enricher.ReleaseDueAsync(cancellationToken).ConfigureAwait(false);
        // Claimed, not just read: several processes' routers would otherwise all map the same oldest new events and all
        // but one commit would be wasted (the commit writes only for an event still new).
        var events = await inbox.ClaimNewAsync(_owner, options.Value.BatchSize, time.GetUtcNow(), ClaimLease, cancellationToken).ConfigureAwait(false);
        if (events.Count == 0)
            return 0;
        // Mapping is CPU work and pure: mapping threads turn events into outbox rows while the events ready so far are
        // committed in their order, a group at a time (one writer at a time anyway). At most two groups are ready ahead
        // of the commits: what is ready stays in memory until it is committed.
        using var ahead = new SemaphoreSlim(2 * options.Value.CommitGroupSize);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var ready = MapAhead(set, events, ahead, stop.Token, out var mappers);
        try
        {
            var group = new List<RoutedEvent>(options.Value.CommitGroupSize);
            foreach (var next in ready)
            {
                if (await next.ConfigureAwait(false) is { } routed)
                    group.Add(routed);
                ahead.Release();
                if (group.Count >= options.Value.CommitGroupSize)
                    await CommitAsync(group, cancellationToken).ConfigureAwait(false);
            }
            await CommitAsync(group, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            // On a failure the mappers stop at their next event; the claim's lease gives the rest back.
            try
            {
                await stop.CancelAsync().ConfigureAwait(false);
            }
            finally
            {
                await mappers.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                foreach (var next in ready.Where(r => r.IsFaulted))
                    _ = next.Exception; // observed: the first failure is the one thrown
            }
        }
        return events.Count;
    }

    /// <summary>
    /// Maps <paramref name="events"/> on <see cref="MappingOptions.MappingThreads"/> threads, each taking the next event
    /// not taken yet (after a slot of <paramref name="ahead"/>): one task per event, in the events' order, completing
    /// with the event's outbox rows (null: it was parked or set aside, nothing to commit).
    /// </summary>
    private Task<RoutedEvent?>[] MapAhead(MappingSet set, IReadOnlyList<InboxEvent> events, SemaphoreSlim ahead, CancellationToken cancellationToken, out Task mappers)
    {
        var results = new TaskCompletionSource<RoutedEvent?>[events.Count];
        for (var i = 0; i < results.Length; i++)
            results[i] = new(TaskCreationOptions.RunContinuationsAsynchronously);
        var taken = -1;
        async Task MapNextAsync()
        {
            while (Volatile.Read(ref taken) < events.Count - 1)
            {
                try
                {
                    await ahead.WaitAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    // Stopping: every event not taken yet is taken and cancelled below, so no one waits for it.
                }
                var i = Interlocked.Increment(ref taken);
                if (i >= events.Count)
                    return;
                if (cancellationToken.IsCancellationRequested)
                {
                    results[i].TrySetCanceled(cancellationToken);
                    continue;
                }
                try
                {
                    results[i].TrySetResult(await PrepareAsync(set, events[i], cancellationToken).ConfigureAwait(false));
                }
                catch (Exception ex)
                {
                    results[i].TrySetException(ex);
                }
            }
        }
        var threads = Math.Clamp(options.Value.MappingThreads, 1, events.Count);
        mappers = Task.WhenAll(Enumerable.Range(0, threads).Select(_ => Task.Run(MapNextAsync, CancellationToken.None)));
        return [.. results.Select(r => r.Task)];
    }

    /// <summary>One event mapped into the outbox rows to commit, or null when it was parked or set aside.</summary>
    private async Task<RoutedEvent?> PrepareAsync(MappingSet set, InboxEvent inboxEvent, CancellationToken cancellationToken)
    {
        string? trace;
        MappingOutcome outcome;
        using (var span = RoutingTracing.Start(inboxEvent))
        {
            if (await MapAsync(set, inboxEvent, cancellationToken).ConfigureAwait(false) is not { } mapped)
                return null;
            outcome = mapped;
            trace = RoutingTracing.Planned(span, outcome) ?? inboxEvent.TraceParent;
        }
        // The cross-references the operations name, read together; the ones not known yet stay placeholders (filled in
        // by the dispatcher once they are known).
        var perOperation = outcome.Operations.Select(o => XrefResolver.Placeholders(o.Payload).ToList()).ToList();
        var placeholders = perOperation.SelectMany(p => p).ToHashSet();
        // Checked before the lookups: a NUL a mapping made (an escape, an enrichment read) fails even a query's parameter.
        if (StorableText.Unstorable(placeholders) is { } unstorableXref)
            return await ParkedAsync<RoutedEvent>(inboxEvent, unstorableXref, cancellationToken).ConfigureAwait(false);
        var known = placeholders.Count == 0
            ? new Dictionary<XrefPlaceholder, string>()
            : await crossReferences.FindManyAsync(placeholders, cancellationToken).ConfigureAwait(false);
        var rows = new List<NewOutboxRow>(outcome.Operations.Count);
        for (var i = 0; i < outcome.Operations.Count; i++)
        {
            var operation = outcome.Operations[i];
            if (perOperation[i].Count > 0) // walked again only where a placeholder is
                await XrefResolver.ResolveAsync(operation.Payload, p => ValueTask.FromResult(known.GetValueOrDefault(p))).ConfigureAwait(false);
            rows.Add(operation.ToOutboxRow(inboxEvent.Id, trace));
        }
        var version = EntityVersionReader.Read(inboxEvent.Source, outcome.CanonicalEvent);
        if (StorableText.Unstorable(rows, version) is { } unstorable)
            return await ParkedAsync<RoutedEvent>(inboxEvent, unstorable, cancellationToken).ConfigureAwait(false);
        var parked = outcome.FailedFlowsReason is { } failed ? StorableText.Escape(scrubber?.Scrub(failed) ?? failed) : null;
        return new RoutedEvent(inboxEvent.Id, rows, version, parked) { TraceParent = trace };
    }

    /// <summary>Maps one event; parks it, marks it unmatched or awaiting hydration at once, or returns its operations.</summary>
    private async Task<MappingOutcome?> MapAsync(MappingSet set, InboxEvent inboxEvent, CancellationToken cancellationToken)
    {
        using var scope = logger.BeginScope(new Dictionary<string, object> { ["InboxEventId"] = inboxEvent.Id });
        if (!sources.CurrentValue.TryGetValue(inboxEvent.Source, out var source))
            return await ParkedAsync<MappingOutcome>(inboxEvent, $"source '{inboxEvent.Source}' is not configured (Sources:{inboxEvent.Source}:Kind)", cancellationToken).ConfigureAwait(false);
        SourceEvent ev;
        try
        {
            ev = SourceEvent.Parse(inboxEvent.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), inboxEvent.Source, source.Kind,
                inboxEvent.ReceivedAt, inboxEvent.DedupKey, inboxEvent.PayloadJson);
        }
        catch (JsonException ex)
        {
            return await ParkedAsync<MappingOutcome>(inboxEvent, $"the payload is not JSON: {ex.Message}", cancellationToken).ConfigureAwait(false);
        }
        if (StorableText.InPayload(inboxEvent.PayloadJson) is { } unstorable)
            return await ParkedAsync<MappingOutcome>(inboxEvent, unstorable, cancellationToken).ConfigureAwait(false);
        MappingOutcome outcome;
        try
        {
            // A flow that reads before it writes (enrich) gets its answers from the store, or reads and stores them first.
            outcome = enricher is null ? _engine.Map(set, ev) : await enricher.MapAsync(_engine, set, ev, inboxEvent.Id, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A fault in the mapping code itself (not in a mapping file): keep the event, visibly, and route the rest.
            outcome = MappingOutcome.Parked($"mapping failed unexpectedly: {ex.GetType().Name}: {ex.Message}");
        }
        switch (outcome.Kind)
        {
            case MappingOutcomeKind.Parked:
                return await ParkedAsync<MappingOutcome>(inboxEvent, outcome.Reason!, cancellationToken).ConfigureAwait(false);
            case MappingOutcomeKind.ReadFailed:
                // A read that may pass: the event waits out of the batch and is read again later, or parked after the last attempt.
                var deferred = outcome with { Reason = scrubber?.Scrub(outcome.Reason!) ?? outcome.Reason };
                var (waits, lastAttempt) = await enricher!.DeferAsync(inboxEvent.Id, deferred, cancellationToken).ConfigureAwait(false);
                if (lastAttempt is not null)
                    return await ParkedAsync<MappingOutcome>(inboxEvent, lastAttempt, cancellationToken).ConfigureAwait(false);
                if (waits)
                    LogAwaitingEnrichment(inboxEvent.Id, deferred.Reason!);
                else
                    LogNoLongerNew(inboxEvent.Id);
                return null;
            case MappingOutcomeKind.NeedsEnrichment:
                // Only without an EventEnricher (a host composed without AddMappingRouter): nothing can read.
                return await ParkedAsync<MappingOutcome>(inboxEvent, $"{outcome.Reason}, and nothing here can read", cancellationToken).ConfigureAwait(false);
            case MappingOutcomeKind.Incomplete when hydrators.Find(source.Kind) is not null:
                if (await routing.MarkAwaitingHydrationAsync(inboxEvent.Id, StorableText.Escape(outcome.Reason!), cancellationToken).ConfigureAwait(false))
                    LogAwaitingHydration(inboxEvent.Id, outcome.Reason!);
                else
                    LogNoLongerNew(inboxEvent.Id);
                return null;
            case MappingOutcomeKind.Incomplete:
            case MappingOutcomeKind.Unmatched:
                await UnmatchedAsync(inboxEvent, StorableText.Escape(outcome.Reason!), cancellationToken).ConfigureAwait(false);
                return null;
        }
        // The echo of our own write (a record the hub created, coming back as the source's event) is not routed again.
        if (OwnWrite.Read(outcome.CanonicalEvent) is { } ownWrite
            && await crossReferences.FindSourceAsync(ownWrite.System, ownWrite.ObjectType, ownWrite.Id, cancellationToken).ConfigureAwait(false) is { } writtenFor)
        {
            await UnmatchedAsync(inboxEvent, ownWrite.EchoReason(writtenFor), cancellationToken).ConfigureAwait(false);
            return null;
        }
        return outcome;
    }

    /// <summary>
    /// Parks the event and returns null (nothing of it to commit). A park reason quotes payload and expression text, which
    /// may carry a credential: scrubbed before it is logged or stored.
    /// </summary>
    private async Task<T?> ParkedAsync<T>(InboxEvent inboxEvent, string reason, CancellationToken cancellationToken) where T : class
    {
        await ParkAsync(inboxEvent.Id, reason, cancellationToken).ConfigureAwait(false);
        return null;
    }

    private async Task ParkAsync(long inboxEventId, string reason, CancellationToken cancellationToken)
    {
        reason = StorableText.Escape(scrubber?.Scrub(reason) ?? reason);
        if (await routing.MarkParkedAsync(inboxEventId, reason, cancellationToken).ConfigureAwait(false))
        {
            System.Diagnostics.Activity.Current?.SetTag("fieldops.route.result", "parked");
            LogParked(inboxEventId, reason);
        }
        else
            LogNoLongerNew(inboxEventId);
    }

    private async Task UnmatchedAsync(InboxEvent inboxEvent, string reason, CancellationToken cancellationToken)
    {
        if (await routing.MarkUnmatchedAsync(inboxEvent.Id, reason, cancellationToken).ConfigureAwait(false))
            LogUnmatched(inboxEvent.Id, reason);
        else
            LogNoLongerNew(inboxEvent.Id);
    }
}
