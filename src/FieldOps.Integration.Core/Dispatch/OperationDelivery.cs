using FieldOps.Integration.Core.Connectors;
using FieldOps.Integration.Core.Credentials;
using FieldOps.Integration.Core.CrossReferences;
using FieldOps.Integration.Core.Outbox;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly.CircuitBreaker;
using Polly.RateLimiting;

namespace FieldOps.Integration.Core.Dispatch;

/// <summary>
/// Carries one claimed row through one attempt: effect check after a crash, <c>$xref</c> resolution, the in-flight
/// mark of a non-idempotent call, the call through the connector's gate, one token refresh on auth-expired, and the
/// write-back the <see cref="OutcomePolicy"/> decides.
/// </summary>
public sealed partial class OperationDelivery(
    IEnumerable<IConnector> connectors,
    ConnectorGates gates,
    IOutboxStore store,
    ICrossReferenceStore crossReferences,
    IAccessTokenProvider tokens,
    ConnectionStatus connections,
    OutcomePolicy policy,
    IOptions<DispatcherOptions> options,
    TimeProvider time,
    ILogger<OperationDelivery> logger)
{
    private readonly Dictionary<string, IConnector> _connectors = connectors.ToDictionary(c => c.Name, StringComparer.Ordinal);

    /// <summary>Delivers <paramref name="row"/> once; every path ends with one write-back under <paramref name="owner"/>'s lease.</summary>
    public async Task DeliverAsync(ClaimedOperation row, string owner, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(row);
        var op = row.Operation;
        using var scope = logger.BeginScope(new Dictionary<string, object> { ["InboxEventId"] = row.InboxEventId, ["OutboxMessageId"] = op.Id, ["Connector"] = op.Connector, ["Flow"] = op.Flow });
        var connector = _connectors[op.Connector];
        var gate = gates[op.Connector];
        var now = time.GetUtcNow();
        if (row.State == OutboxStates.InFlight)
        {
            op = op with { MayHaveBeenApplied = true };
            EffectCheck check;
            string? checkedTargetId;
            try
            {
                (check, checkedTargetId) = await CheckEffectAsync(connector, op, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                // The check itself hit a passing fault: ask again later; the row stays in flight so nothing is sent blindly.
                await WriteAsync(new OutboxUpdate
                {
                    Id = op.Id,
                    State = OutboxStates.InFlight,
                    Attempts = row.Attempts,
                    FirstAttemptAt = row.FirstAttemptAt,
                    NextAttemptAt = now + options.Value.BaseDelay,
                    LastOutcome = OutcomeKind.Transient,
                    LastError = $"effect check failed: {ex.GetType().Name}: {ex.Message}",
                }, owner).ConfigureAwait(false);
                return;
            }
            if (check == EffectCheck.Applied)
            {
                await WriteAsync(policy.Decide(row, DeliveryOutcome.Delivered(checkedTargetId), Math.Max(row.Attempts, 1), row.FirstAttemptAt ?? now, now, []), owner)
                    .ConfigureAwait(false);
                return;
            }
            if (check == EffectCheck.Unknown)
            {
                await WriteAsync(OutcomeUnknown(row, connector), owner).ConfigureAwait(false);
                return;
            }
        }

        var (payload, missing) = await XrefResolver.ResolveAsync(op.Payload, crossReferences, cancellationToken).ConfigureAwait(false);
        if (missing is not null)
        {
            await WriteAsync(WaitForXref(row, missing, now), owner).ConfigureAwait(false);
            return;
        }
        var attempt = row.Attempts + 1;
        var firstAttemptAt = row.FirstAttemptAt ?? now;
        op = op with { Payload = payload, Attempt = attempt };
        if (connector.IsNonIdempotent(op))
            await store.MarkInFlightAsync(op.Id, owner, attempt, firstAttemptAt, cancellationToken).ConfigureAwait(false);

        var records = new List<AttemptRecord>();
        var outcome = await CallAsync(connector, gate, op, records, cancellationToken).ConfigureAwait(false);
        if (outcome?.Kind == OutcomeKind.AuthExpired)
            outcome = await RefreshAndRetryAsync(connector, gate, op, records, cancellationToken).ConfigureAwait(false);
        if (outcome is null || outcome.Kind == OutcomeKind.ConnectionBroken)
        {
            if (outcome is not null)
                MarkBroken(op, outcome.Message ?? "connection broken");
            await WriteAsync(Release(row, records), owner).ConfigureAwait(false);
            return;
        }
        now = time.GetUtcNow();
        if (outcome.Kind == OutcomeKind.Throttled)
            gate.PauseUntil(now + (outcome.RetryAfter ?? options.Value.BaseDelay));
        var update = policy.Decide(row, outcome, attempt, firstAttemptAt, now, records);
        await WriteAsync(update, owner).ConfigureAwait(false);
        if (update.State == OutboxStates.Dead)
            LogDeadLettered(logger, op.Id, update.DeadReason!);
    }

    private async Task<DeliveryOutcome?> CallAsync(
        IConnector connector, ConnectorGate gate, OutboundOperation op, List<AttemptRecord> records, CancellationToken cancellationToken)
    {
        try
        {
            return await gate.Pipeline.ExecuteAsync(async token =>
            {
                var started = time.GetUtcNow();
                var timestamp = time.GetTimestamp();
                DeliveryOutcome outcome;
                try
                {
                    outcome = await connector.DeliverAsync(op, token).ConfigureAwait(false);
                }
                catch (ConnectionBrokenException ex)
                {
                    outcome = DeliveryOutcome.ConnectionBroken(ex.Reason);
                }
                catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
                {
                    // The one place an exception escaping a connector is caught: a passing fault (timeout, network).
                    outcome = DeliveryOutcome.Transient($"{ex.GetType().Name}: {ex.Message}");
                }
                records.Add(new AttemptRecord(op.Attempt, started, time.GetElapsedTime(timestamp), outcome.Kind, outcome.StatusCode,
                    Bound(outcome.Message), ResponseRedactor.Redact(outcome.ResponseExcerpt)));
                return outcome;
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is BrokenCircuitException or RateLimiterRejectedException)
        {
            return null; // not called: released without counting an attempt
        }
    }

    private async Task<DeliveryOutcome?> RefreshAndRetryAsync(
        IConnector connector, ConnectorGate gate, OutboundOperation op, List<AttemptRecord> records, CancellationToken cancellationToken)
    {
        var connection = $"{op.Connector}:{op.Connection}";
        if (!tokens.Knows(connection))
            return DeliveryOutcome.ConnectionBroken($"the target rejected our credentials and {connection} has no token endpoint to refresh them");
        try
        {
            // The rejected token was issued before the rejection arrived: a token issued after that moment is a newer one.
            var rejectedAt = records[^1].StartedAt + records[^1].Duration;
            await tokens.RefreshAsync(connection, rejectedAt, cancellationToken).ConfigureAwait(false);
        }
        catch (ConnectionBrokenException ex)
        {
            return DeliveryOutcome.ConnectionBroken(ex.Reason);
        }
        var retried = await CallAsync(connector, gate, op, records, cancellationToken).ConfigureAwait(false);
        return retried?.Kind == OutcomeKind.AuthExpired
            ? DeliveryOutcome.ConnectionBroken($"the target rejected a freshly refreshed token: {retried.Message}")
            : retried;
    }

    private static async Task<(EffectCheck, string?)> CheckEffectAsync(IConnector connector, OutboundOperation op, CancellationToken cancellationToken)
    {
        if (connector is not IEffectChecker checker)
            return (EffectCheck.Unknown, null);
        return await checker.CheckEffectAsync(op, cancellationToken).ConfigureAwait(false);
    }

    private void MarkBroken(OutboundOperation op, string reason)
    {
        var connection = $"{op.Connector}:{op.Connection}";
        if (connections.MarkBroken(connection, reason))
            LogConnectionBroken(logger, connection, reason);
    }

    private OutboxUpdate WaitForXref(ClaimedOperation row, CrossReferences.XrefPlaceholder missing, DateTimeOffset now)
    {
        var since = row.XrefWaitSince ?? now;
        var text = $"waiting for the cross-reference {missing.System}/{missing.Type}/{missing.SourceId}";
        var update = new OutboxUpdate
        {
            Id = row.Operation.Id,
            State = OutboxStates.Pending,
            Attempts = row.Attempts,
            FirstAttemptAt = row.FirstAttemptAt,
            NextAttemptAt = now + options.Value.XrefRecheckInterval,
            LastError = text,
            XrefWaitSince = since,
        };
        if (now - since < options.Value.XrefWaitLimit)
            return update;
        return update with
        {
            State = OutboxStates.Dead,
            DeadReason = OutcomePolicy.Reason(row, "UnresolvedXref",
                $"the cross-reference {missing.System}/{missing.Type}/{missing.SourceId} is still unknown after {options.Value.XrefWaitLimit}", row.Attempts),
        };
    }

    private OutboxUpdate Release(ClaimedOperation row, List<AttemptRecord> records) => new()
    {
        Id = row.Operation.Id,
        State = OutboxStates.Pending,
        Attempts = row.Attempts,
        FirstAttemptAt = row.FirstAttemptAt,
        NextAttemptAt = time.GetUtcNow(),
        LastOutcome = records.Count > 0 ? records[^1].Outcome : null,
        LastError = records.Count > 0 ? records[^1].Message : null,
        AttemptRecords = records,
    };

    private static OutboxUpdate OutcomeUnknown(ClaimedOperation row, IConnector connector) => new()
    {
        Id = row.Operation.Id,
        State = OutboxStates.Dead,
        Attempts = row.Attempts,
        FirstAttemptAt = row.FirstAttemptAt,
        LastError = "outcome unknown",
        DeadReason = OutcomePolicy.Reason(row, "OutcomeUnknown",
            connector is IEffectChecker
                ? "a non-idempotent call was interrupted and the target cannot tell whether it took effect; replay to send again or discard"
                : $"a non-idempotent call was interrupted and {connector.Name} cannot check for its effect; replay to send again or discard",
            row.Attempts),
    };

    private Task<bool> WriteAsync(OutboxUpdate update, string owner) =>
        store.UpdateAsync(update, owner, time.GetUtcNow(), CancellationToken.None);

    private static string? Bound(string? text) => text is { Length: > 1000 } ? text[..1000] + "…" : text;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Dead-lettered {OutboxMessageId}: {Reason}")]
    private static partial void LogDeadLettered(ILogger logger, string outboxMessageId, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Connection {Connection} is broken ({Reason}): its claims are paused, its operations stay queued")]
    private static partial void LogConnectionBroken(ILogger logger, string connection, string reason);
}
