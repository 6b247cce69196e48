using FieldOps.Integration.Core.Connectors;
using FieldOps.Integration.Core.Credentials;
using FieldOps.Integration.Core.CrossReferences;
using FieldOps.Integration.Core.Outbox;
using FieldOps.Integration.Core.Secrets;
using FieldOps.Integration.Core.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;
using Polly.CircuitBreaker;
using Polly.RateLimiting;

namespace FieldOps.Integration.Core.Dispatch;

/// <summary>
/// Carries one claimed row through one attempt: the effect check first when an earlier attempt may have taken effect
/// (a crash, or an outcome unknown), <c>$xref</c> resolution, the in-flight
/// mark of a non-idempotent call, the call through the connector's gate, one token refresh on auth-expired, and the
/// write-back the <see cref="OutcomePolicy"/> decides. Rows batched for an <see cref="IBatchConnector"/> take the same
/// steps in <c>OperationDelivery.Batch.cs</c>.
/// </summary>
internal sealed partial class OperationDelivery(
    IEnumerable<IConnector> connectors,
    ConnectorGates gates,
    IOutboxStore store,
    ICrossReferenceStore crossReferences,
    IAccessTokenProvider tokens,
    ConnectionStatus connections,
    OutcomePolicy policy,
    IOptions<DispatcherOptions> options,
    TimeProvider time,
    SecretScrubber scrubber,
    ILogger<OperationDelivery> logger)
{
    private readonly Dictionary<string, IConnector> _connectors = connectors.ToDictionary(c => c.Name, StringComparer.Ordinal);

    /// <summary>
    /// Before a claim's rows start: the <c>$xref</c>s known now are filled in for all of them with one lookup (on a server
    /// database one round trip for the claim instead of one for each delivery). Rows found in flight are left to their
    /// check first. If the lookup fails nothing is filled in: each delivery looks up what it still needs, as before. A row
    /// claimed ahead waits for a free slot after this lookup: a cross-reference moved to another target id meanwhile (its
    /// target record replaced) reaches that call as the claim found it — the window a lookup just before the call had
    /// too, made as long as the wait for a slot.
    /// </summary>
    public async Task FillKnownCrossReferencesAsync(IReadOnlyList<ClaimedOperation> rows, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rows);
        try
        {
            await XrefResolver.FillKnownAsync(
                rows.Where(r => r.State == OutboxStates.Pending && r.Operation.Payload.Error is null).Select(r => r.Operation.Payload),
                crossReferences, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping: the claimed rows go on to their lanes, which are closed, and their leases are released.
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            LogFillFailed(logger, ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Not sent: {Connector} operation {OutboxMessageId} of event {InboxEventId} lost its lease before the call (another worker has it)")]
    private static partial void LogLeaseLost(ILogger logger, string connector, string outboxMessageId, long inboxEventId);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Looking up the cross-references of claimed rows failed; each delivery looks up its own")]
    private static partial void LogFillFailed(ILogger logger, Exception exception);

    /// <summary>
    /// Delivers <paramref name="row"/> once; every path ends with one write-back under <paramref name="owner"/>'s lease, but
    /// for a non-idempotent row whose lease ran out before its in-flight mark (not sent, nothing written: not ours).
    /// <paramref name="callEnded"/> runs once the vendor call has returned, before the write-back (the caller's slot is free).
    /// </summary>
    public async Task DeliverAsync(ClaimedOperation row, string owner, CancellationToken cancellationToken, Action? callEnded = null)
    {
        ArgumentNullException.ThrowIfNull(row);
        var op = row.Operation;
        using var scope = logger.BeginScope(new Dictionary<string, object> { ["InboxEventId"] = row.InboxEventId, ["OutboxMessageId"] = op.Id, ["Connector"] = op.Connector, ["Flow"] = op.Flow });
        using var activity = DeliveryTracing.Start(row);
        var connector = _connectors[op.Connector];
        var gate = gates[op.Connector];
        var now = time.GetUtcNow();
        if (op.Payload.Error is { } unreadable)
        {
            // Stored text no connector could read (written by hand in the database?): dead at once, nothing sent.
            var record = new AttemptRecord(row.Attempts + 1, now, TimeSpan.Zero, OutcomeKind.Permanent, null, unreadable, null);
            await FinishAsync(policy.Decide(row, DeliveryOutcome.Permanent(unreadable), row.Attempts + 1, row.FirstAttemptAt ?? now, now, [record]),
                connector, owner, row, op.Connector).ConfigureAwait(false);
            return;
        }
        if (row.State == OutboxStates.InFlight)
        {
            // An earlier attempt may have taken effect (a crash, or an answer that never came): ask before sending.
            op = op with { MayHaveBeenApplied = true };
            if (await CheckFirstAsync(row, connector, op, cancellationToken).ConfigureAwait(false) is { } verdict)
            {
                await FinishAsync(verdict, connector, owner, row, op.Connector).ConfigureAwait(false);
                return;
            }
        }

        var missing = await XrefResolver.ResolveAsync(op.Payload, crossReferences, cancellationToken).ConfigureAwait(false);
        if (missing is not null)
        {
            await WriteAsync(WaitForXref(row, missing, now), owner).ConfigureAwait(false);
            return;
        }
        var attempt = row.Attempts + 1;
        var firstAttemptAt = row.FirstAttemptAt ?? now;
        op = op with { Attempt = attempt };
        if (connector.IsNonIdempotent(op) && !await store.MarkInFlightAsync(op.Id, owner, attempt, firstAttemptAt, time.GetUtcNow(), cancellationToken).ConfigureAwait(false))
        {
            // The lease ran out before the call (a stalled process): another worker has the row or may claim it during the
            // call. It sends, not this one; nothing is written back (the row is not ours).
            LogLeaseLost(logger, op.Connector, op.Id, row.InboxEventId);
            activity?.SetTag("fieldops.outcome", "LeaseLost");
            return;
        }

        var records = new List<AttemptRecord>();
        var outcome = await CallAsync(connector, gate, op, row.InboxEventId, records, cancellationToken).ConfigureAwait(false);
        if (outcome?.Kind == OutcomeKind.AuthExpired)
            outcome = await RefreshAndRetryAsync(connector, gate, op, row.InboxEventId, records, cancellationToken).ConfigureAwait(false);
        BeforeSlotsFreed(row, op, outcome, gate);
        callEnded?.Invoke();
        await WriteBackAsync(row, op, outcome, firstAttemptAt, records, connector, owner).ConfigureAwait(false);
    }

    /// <summary>
    /// What an answer tells the dispatcher before the call's slots are given back, so no call claimed ahead starts into
    /// it: a throttle pauses the connector's claims for the wait the target asked for; a broken connection is marked.
    /// </summary>
    private void BeforeSlotsFreed(ClaimedOperation row, OutboundOperation op, DeliveryOutcome? outcome, ConnectorGate gate)
    {
        if (outcome?.Kind == OutcomeKind.ConnectionBroken)
            MarkBroken(op, outcome.Message ?? "connection broken");
        if (outcome?.Kind != OutcomeKind.Throttled)
            return;
        var now = time.GetUtcNow();
        var until = now + (outcome.RetryAfter ?? options.Value.BaseDelay);
        gate.PauseUntil(until);
        LogThrottled(logger, op.Connector, row.InboxEventId, op.Id, until - now);
    }

    /// <summary>
    /// The effect check of a row that may already have taken effect: null when the connector found it not applied
    /// (send it), else the write-back — delivered with the found id, or outcome unknown (the check could not tell or
    /// failed), retried by the policy and dead-lettered as <c>OutcomeUnknown</c> when attempts or age run out. A
    /// connector without an effect check sends at most once: outcome unknown at once.
    /// </summary>
    private async Task<OutboxUpdate?> CheckFirstAsync(ClaimedOperation row, IConnector connector, OutboundOperation op, CancellationToken cancellationToken)
    {
        if (connector is not IEffectChecker checker)
            return CannotCheck(row, connector);
        var started = time.GetUtcNow();
        var timestamp = time.GetTimestamp();
        DeliveryOutcome outcome;
        string message;
        try
        {
            var (check, targetId) = await checker.CheckEffectAsync(op, cancellationToken).ConfigureAwait(false);
            if (check == EffectCheck.NotApplied)
                return null;
            (outcome, message) = check == EffectCheck.Applied
                ? (DeliveryOutcome.Delivered(targetId), $"effect check: already applied (target id {targetId ?? "not given"}); not sent again")
                : (DeliveryOutcome.OutcomeUnknown("effect check: the target cannot tell whether an earlier attempt took effect"),
                    "effect check: the target cannot tell whether an earlier attempt took effect");
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested && ex is not ConnectionBrokenException)
        {
            // The check's own call hit a passing fault: it is retried like any attempt; nothing is sent meanwhile.
            message = Bound($"effect check failed: {ex.GetType().Name}: {ex.Message}")!;
            outcome = DeliveryOutcome.OutcomeUnknown(message);
        }
        catch (ConnectionBrokenException ex)
        {
            MarkBroken(op, ex.Reason);
            return Release(row, []) with { State = OutboxStates.InFlight };
        }
        var now = time.GetUtcNow();
        var attempt = outcome.IsDelivered ? Math.Max(row.Attempts, 1) : row.Attempts + 1;
        var record = new AttemptRecord(attempt, started, time.GetElapsedTime(timestamp), outcome.Kind, null, message, null);
        return policy.Decide(row, outcome, attempt, row.FirstAttemptAt ?? now, now, [record]);
    }

    private async Task<DeliveryOutcome?> CallAsync(
        IConnector connector, ConnectorGate gate, OutboundOperation op, long inboxEventId, List<AttemptRecord> records, CancellationToken cancellationToken)
    {
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(ConnectorGate.InboxEventIdKey, inboxEventId);
        context.Properties.Set(ConnectorGate.OutboxMessageIdKey, op.Id);
        try
        {
            return await gate.Pipeline.ExecuteAsync(async ctx =>
            {
                var started = time.GetUtcNow();
                var timestamp = time.GetTimestamp();
                DeliveryOutcome outcome;
                try
                {
                    outcome = await connector.DeliverAsync(op, ctx.CancellationToken).ConfigureAwait(false);
                }
                catch (ConnectionBrokenException ex)
                {
                    outcome = DeliveryOutcome.ConnectionBroken(ex.Reason);
                }
                catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
                {
                    // The one place an exception escaping a connector is caught: a passing fault (timeout, network).
                    outcome = DeliveryOutcome.Unanswered($"{ex.GetType().Name}: {ex.Message}", ex);
                }
                if (connector.IsNonIdempotent(op) && TransportFaults.MayHaveBeenApplied(outcome))
                    outcome = outcome.AsOutcomeUnknown(); // never re-sent blindly: the row stays in flight for the effect check
                Record(op, outcome, started, time.GetElapsedTime(timestamp), inboxEventId, records);
                return outcome;
            }, context).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is BrokenCircuitException or RateLimiterRejectedException)
        {
            LogNotCalled(logger, op.Connector, op.Id, inboxEventId, ex.Message);
            return null; // not called: released without counting an attempt
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    /// <summary>
    /// One call's attempt record of <paramref name="op"/>, its log line and (<paramref name="tagSpan"/>: a single
    /// call's own span; a batch row's span is tagged at its write-back) its span tags.
    /// </summary>
    private void Record(OutboundOperation op, DeliveryOutcome outcome, DateTimeOffset started, TimeSpan duration, long inboxEventId, List<AttemptRecord> records,
        bool tagSpan = true)
    {
        records.Add(new AttemptRecord(op.Attempt, started, duration, outcome.Kind, outcome.StatusCode,
            Bound(outcome.Message), ResponseRedactor.Redact(outcome.ResponseExcerpt)));
        if (tagSpan)
            DeliveryTracing.Attempted(op, outcome);
        LogAttempt(logger, op.Connector, op.Operation, op.ObjectType, inboxEventId, op.Id, outcome.Kind, outcome.StatusCode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-",
            (long)duration.TotalMilliseconds, op.Attempt, options.Value.MaxAttempts, outcome.TargetId ?? "-", scrubber.Scrub(Bound(outcome.Message) ?? ""));
    }

    private void MarkBroken(OutboundOperation op, string reason)
    {
        var connection = $"{op.Connector}:{op.Connection}";
        if (connections.MarkBroken(connection, reason))
            LogConnectionBroken(logger, connection, reason);
    }

    private static string? Bound(string? text) => TextCut.Excerpt(text, 1000);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Delivery {Connector} {Operation} {ObjectType} event {InboxEventId} operation {OutboxMessageId}: {Outcome} status {StatusCode} in {DurationMs} ms, attempt {Attempt} of {MaxAttempts}, target id {TargetId} {OutcomeMessage}")]
    private static partial void LogAttempt(ILogger logger, string connector, string operation, string objectType, long inboxEventId, string outboxMessageId,
        OutcomeKind outcome, string statusCode, long durationMs, int attempt, int maxAttempts, string targetId, string outcomeMessage);

    [LoggerMessage(Level = LogLevel.Information, Message = "Retry {Connector} operation {OutboxMessageId} of event {InboxEventId}: attempt {NextAttempt} of {MaxAttempts} in {Delay}")]
    private static partial void LogRetryScheduled(ILogger logger, string connector, string outboxMessageId, long inboxEventId, int nextAttempt, int maxAttempts, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Information, Message = "Throttled: {Connector} paused for {Pause} after operation {OutboxMessageId} of event {InboxEventId}")]
    private static partial void LogThrottled(ILogger logger, string connector, long inboxEventId, string outboxMessageId, TimeSpan pause);

    [LoggerMessage(Level = LogLevel.Information, Message = "Not called: {Connector} operation {OutboxMessageId} of event {InboxEventId} released ({Why})")]
    private static partial void LogNotCalled(ILogger logger, string connector, string outboxMessageId, long inboxEventId, string why);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Dead-lettered {Connector} operation {OutboxMessageId} of event {InboxEventId}: {Reason}")]
    private static partial void LogDeadLettered(ILogger logger, string connector, string outboxMessageId, long inboxEventId, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Connection {Connection} is broken ({Reason}): its claims are paused, its operations stay queued")]
    private static partial void LogConnectionBroken(ILogger logger, string connection, string reason);
}
