using System.Text.Json.Nodes;
using FieldOps.Integration.Core.Inbox;
using FieldOps.Integration.Core.Sources;
using FieldOps.Integration.Core.Storage;
using FieldOps.Integration.Core.Text;
using Microsoft.Extensions.Logging;

namespace FieldOps.Integration.Core.Hydration;

/// <summary>One claimed entity: its events, the pause check, the fetch, and how the claim ends.</summary>
internal sealed partial class HydrationService
{
    private static readonly IReadOnlyDictionary<long, string> NoneUnmatched = new Dictionary<long, string>();

    private async Task HydrateAsync(IRecordHydrator hydrator, HydrationClaim claim, CancellationToken cancellationToken)
    {
        var events = await claims.ListEventsAsync(claim, cancellationToken).ConfigureAwait(false);
        var described = events.Select(e => (e.Event, e.Attempts, Request: Describe(hydrator, e.Event))).ToList();
        if (described.All(e => e.Request is null))
        {
            // Nothing left to fetch (handled meanwhile, or the events name nothing): the claim ends, the events say why.
            await claims.ReleaseAsync(claim, new HydrationRelease([], described.ToDictionary(e => e.Event.Id,
                _ => "hydration: the event names no entity this source can fetch"), null), Window, cancellationToken).ConfigureAwait(false);
            return;
        }
        // Read before each fetch: another process may have been told to wait since this entity was claimed.
        if (await claims.GetSourcePauseAsync(claim.Source, cancellationToken).ConfigureAwait(false) is { } paused && paused > time.GetUtcNow())
        {
            await claims.ReleaseAsync(claim, new HydrationRelease([], NoneUnmatched, paused), Window, cancellationToken).ConfigureAwait(false);
            return;
        }
        var request = new HydrationRequest(claim.Source, claim.EntityType, claim.EntityId, described.First(e => e.Request is not null).Request!.Topic);
        using var activity = HydrationTracing.Start(request, events);
        HydratedRecord fetched;
        try
        {
            Interlocked.Increment(ref _fetches);
            fetched = await hydrator.FetchAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (SourceThrottledException ex)
        {
            // A throttle is the source pacing us, not a failure: it costs no attempt, and every process waits it out.
            var until = time.GetUtcNow() + ex.RetryAfter;
            LogThrottled(request.Source, ex.RetryAfter);
            await claims.PauseSourceAsync(request.Source, until, cancellationToken).ConfigureAwait(false);
            await claims.ReleaseAsync(claim, new HydrationRelease([], NoneUnmatched, until), Window, cancellationToken).ConfigureAwait(false);
            return;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            await FailAsync(claim, described.Where(e => e.Request is not null).Select(e => (e.Event.Id, e.Attempts)).ToList(), ex, cancellationToken)
                .ConfigureAwait(false);
            return;
        }
        if (fetched.Record is null)
        {
            var gone = $"hydration: {request.Source} no longer has {request.EntityType} {request.EntityId}";
            await claims.ReleaseAsync(claim, new HydrationRelease([], described.ToDictionary(e => e.Event.Id, _ => gone), null), Window, cancellationToken)
                .ConfigureAwait(false);
            return;
        }
        var hydrated = described.Where(e => e.Request is not null)
            .Select(e => new HydratedEvent(e.Event.Id, e.Request!.Topic, Compose(e.Event.PayloadJson, fetched.Record))).ToList();
        var verdicts = await claims.CompleteAsync(claim,
            new HydrationCommit(request.Source, request.EntityType, request.EntityId, fetched.Version, hydrated), Window, cancellationToken).ConfigureAwait(false);
        await RecordOutcomeAsync(request.Source, null).ConfigureAwait(false);
        LogHydrated(request.Source, request.EntityType, request.EntityId, hydrated.Count, verdicts.Count(v => v.State == InboxEventState.New));
        activity?.SetTag("fieldops.hydration.outcome", "hydrated");
    }

    // Each event counts its own attempts (in the store, so every process sees them): one that reaches the limit stays
    // unmatched with the error; the others wait a delay that doubles with the most attempts among them.
    private async Task FailAsync(HydrationClaim claim, IReadOnlyList<(long Id, int Attempts)> events, Exception ex, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        // The message may quote the source (a Jobber GraphQL error's message). PostgreSQL cannot store a NUL in text
        // (22021): the last error went unrecorded, and the give-up failed at every try, the entity fetched again for ever.
        var message = StorableText.Escape(scrubber.Scrub(ex.Message));
        var error = $"{claim.EntityType} {claim.EntityId}: {message}";
        await RecordOutcomeAsync(claim.Source, error).ConfigureAwait(false);
        var counted = events.Select(e => (e.Id, Attempts: e.Attempts + 1)).ToList();
        var givenUp = counted.Where(e => e.Attempts >= settings.MaxAttempts)
            .ToDictionary(e => e.Id, e => $"hydration failed after {e.Attempts} attempts: {message}");
        var most = counted.Where(e => e.Attempts < settings.MaxAttempts).Select(e => e.Attempts).DefaultIfEmpty(0).Max();
        DateTimeOffset? retryAt = null;
        if (most > 0)
        {
            var delay = TimeSpan.FromTicks(Math.Min(MaxRetryDelay.Ticks, settings.RetryDelay.Ticks * (1L << Math.Min(most - 1, 20))));
            retryAt = time.GetUtcNow() + delay;
            // The message only (the log sink scrubs it): a stack trace at every retry of an expected vendor failure is noise; it is logged once, at give-up.
            LogRetry(claim.Source, claim.EntityType, claim.EntityId, most, settings.MaxAttempts, delay, ex.Message);
        }
        if (givenUp.Count > 0)
            LogGaveUp(ex, claim.Source, claim.EntityType, claim.EntityId, givenUp.Count, settings.MaxAttempts);
        await claims.ReleaseAsync(claim, new HydrationRelease(counted.Select(e => e.Id).ToList(), givenUp, retryAt), Window, cancellationToken)
            .ConfigureAwait(false);
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
        var payload = JsonNode.Parse(JsonSurrogates.Mend(payloadJson))!.AsObject();
        payload[HydrationHook.RecordProperty] = record.DeepClone();
        return payload.ToJsonString();
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Hydrated {Source} {EntityType} {EntityId}: {EventCount} events, {NewCount} to route")]
    private partial void LogHydrated(string source, string entityType, string entityId, int eventCount, int newCount);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Source {Source} throttled hydration; pausing it for {Wait} in every process")]
    private partial void LogThrottled(string source, TimeSpan wait);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Hydrating {Source} {EntityType} {EntityId} failed (attempt {Attempt} of {MaxAttempts}); retrying in {Delay}: {Error}")]
    private partial void LogRetry(string source, string entityType, string entityId, int attempt, int maxAttempts, TimeSpan delay, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Hydrating {Source} {EntityType} {EntityId} failed: {EventCount} events failed {MaxAttempts} times and stay unmatched")]
    private partial void LogGaveUp(Exception ex, string source, string entityType, string entityId, int eventCount, int maxAttempts);
}
