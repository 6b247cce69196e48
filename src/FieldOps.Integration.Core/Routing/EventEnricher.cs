using System.Globalization;
using System.Text.Json;
using FieldOps.Integration.Core.Connectors;
using FieldOps.Integration.Core.Mapping.Evaluation;
using FieldOps.Integration.Core.Mapping.Loading;
using FieldOps.Integration.Core.Mapping.Model;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using FieldOps.Integration.Core.Text;

namespace FieldOps.Integration.Core.Routing;

/// <summary>
/// Maps an event whose flows read before they write: each read's answer comes from the store when the event was
/// enriched before, else from the connector (<see cref="IConnectorReader"/>, keyed by connector name), and is stored
/// with the event before it is used — so a retry, a crash before the routing commit, or a re-route reads nothing twice.
/// A read that fails in a way that may pass is tried again later (<see cref="DeferAsync"/>): the event waits as
/// <c>awaiting_enrichment</c>, out of the router's batch, with bounded backoff, and is parked after the last attempt.
/// </summary>
public sealed class EventEnricher(IServiceProvider services, IEnrichmentStore? store = null, IOptions<MappingOptions>? options = null, TimeProvider? time = null)
{
    // Bounds a flow whose steps keep asking (each pass answers at least one read).
    private const int MaxPasses = 16;

    // How often the store is asked for due retries when this process deferred none (another instance may have).
    private static readonly TimeSpan s_releaseCheckInterval = TimeSpan.FromSeconds(30);

    private readonly MappingOptions _options = options?.Value ?? new MappingOptions();
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly Lock _due = new();
    private DateTimeOffset _nextRelease = DateTimeOffset.MinValue;

    /// <summary>
    /// The outcome once every read is answered. A read refused for good parks the event with the connector's text; one
    /// that may pass gives <see cref="MappingOutcomeKind.ReadFailed"/>. With <paramref name="readMissing"/> false (a dry
    /// run) only stored answers are used, and a missing one leaves the outcome <see cref="MappingOutcomeKind.NeedsEnrichment"/>.
    /// </summary>
    internal async Task<MappingOutcome> MapAsync(
        MappingEngine engine, MappingSet set, SourceEvent ev, long inboxEventId, CancellationToken cancellationToken, bool readMissing = true)
    {
        var outcome = engine.Map(set, ev);
        if (outcome.Kind != MappingOutcomeKind.NeedsEnrichment)
            return outcome;
        if (store is null)
            return MappingOutcome.Parked("enrich: no store for read answers is registered", outcome.CanonicalEvent);
        var answers = new Dictionary<string, JsonElement>(await store.GetAsync(inboxEventId, cancellationToken).ConfigureAwait(false), StringComparer.Ordinal);
        for (var pass = 0; pass < MaxPasses; pass++)
        {
            outcome = engine.Map(set, ev, answers);
            if (outcome.Kind != MappingOutcomeKind.NeedsEnrichment || !readMissing)
                return outcome;
            foreach (var read in outcome.Enrichments)
            {
                if (await ReadAsync(read, inboxEventId, answers, cancellationToken).ConfigureAwait(false) is not { } failed)
                    continue;
                var reason = $"{read.File}: enrich ${read.Name} ({read.Connector} {read.Read}) failed: {failed.Failure}";
                return failed.Transient
                    ? MappingOutcome.ReadFailed(reason, failed.RetryAfter, outcome.CanonicalEvent)
                    : MappingOutcome.Parked(reason, outcome.CanonicalEvent);
            }
        }
        return MappingOutcome.Parked($"enrich: still reading after {MaxPasses} passes ({outcome.Reason})", outcome.CanonicalEvent);
    }

    /// <summary>
    /// After a <see cref="MappingOutcomeKind.ReadFailed"/> outcome: counts the failure and sets the event aside until its
    /// next attempt (the wait doubles from <see cref="MappingOptions.EnrichRetryDelay"/>, or is the vendor's Retry-After,
    /// at most <see cref="MappingOptions.EnrichRetryMaxDelay"/>). Returns whether the event now waits (false: it was no
    /// longer new, left as it is), or the reason to park it with when this was its last attempt.
    /// </summary>
    internal async Task<(bool Waits, string? LastAttempt)> DeferAsync(long inboxEventId, MappingOutcome outcome, CancellationToken cancellationToken)
    {
        var attempts = await store!.CountFailedReadAsync(inboxEventId, cancellationToken).ConfigureAwait(false);
        var limit = _options.EnrichReadAttempts;
        if (attempts >= limit)
            return (false, $"{outcome.Reason} (attempt {attempts} of {limit}; no more retries)");
        var wait = RetryDelay(attempts, outcome.RetryAfter);
        var retryAt = _time.GetUtcNow() + wait;
        if (!await store.MarkAwaitingReadAsync(inboxEventId,
            StorableText.Escape($"{outcome.Reason} (attempt {attempts} of {limit}; reading again at {retryAt.ToString("O", CultureInfo.InvariantCulture)})"),
            retryAt, cancellationToken).ConfigureAwait(false))
            return (false, null);
        lock (_due)
        {
            if (retryAt < _nextRelease)
                _nextRelease = retryAt;
        }
        return (true, null);
    }

    /// <summary>
    /// Hands the events whose retry is due back to the router as <c>new</c>. Asks the store only when a retry this
    /// process knows of is due, or every 30 s (another instance may have deferred one); returns how many were released.
    /// </summary>
    internal async Task<int> ReleaseDueAsync(CancellationToken cancellationToken)
    {
        if (store is null)
            return 0;
        var now = _time.GetUtcNow();
        lock (_due)
        {
            if (now < _nextRelease)
                return 0;
        }
        var (released, nextDue) = await store.ReleaseDueReadsAsync(now, cancellationToken).ConfigureAwait(false);
        lock (_due)
        {
            var check = now + s_releaseCheckInterval;
            _nextRelease = nextDue is { } due && due < check ? due : check;
        }
        return released;
    }

    /// <summary>The wait before attempt <paramref name="failures"/> + 1: doubling from the first delay, or the vendor's wait if longer, bounded.</summary>
    internal TimeSpan RetryDelay(int failures, TimeSpan? retryAfter)
    {
        var doubling = _options.EnrichRetryDelay * Math.Pow(2, Math.Min(failures - 1, 20));
        var wait = retryAfter is { } asked && asked > doubling ? asked : doubling;
        return wait < _options.EnrichRetryMaxDelay ? wait : _options.EnrichRetryMaxDelay;
    }

    /// <summary>Why a read cannot run: the connector is not configured here, or it offers no reads.</summary>
    private string NoReader(string connector)
    {
        var configured = services.GetServices<IConnector>().Any(c => c.Name == connector);
        return !configured && services.GetServices<ConnectorKind>().FirstOrDefault(k => k.Name == connector) is { } kind
            ? $"the {connector} connector is {kind.NotConfigured}"
            : $"the {connector} connector cannot read (it has no reads)";
    }

    private async Task<ConnectorReadResult?> ReadAsync(EnrichmentRequest read, long inboxEventId, Dictionary<string, JsonElement> answers, CancellationToken cancellationToken)
    {
        if (answers.ContainsKey(read.Key))
            return null;
        if (services.GetKeyedService<IConnectorReader>(read.Connector) is not { } reader)
            return ConnectorReadResult.Failed(NoReader(read.Connector));
        ConnectorReadResult result;
        string? answer;
        try
        {
            result = await reader.ReadAsync(read.Connection, read.Read, read.Params, cancellationToken).ConfigureAwait(false);
            // Written here, inside the try: an answer that cannot be written as JSON is a failed read, not a failed event.
            answer = result.Failure is null ? result.Answer?.ToJsonString() ?? "null" : null;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // The network, a timeout, a vendor answer that would not parse: may pass, so read again later (bounded).
            return ConnectorReadResult.FailedTransiently($"{ex.GetType().Name}: {ex.Message}");
        }
        if (result.Failure is not null)
            return result;
        answers[read.Key] = await store!.SaveAsync(inboxEventId, read.Key, answer!, cancellationToken).ConfigureAwait(false);
        return null;
    }
}
