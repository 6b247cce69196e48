using System.Globalization;
using FieldOps.Integration.Core.Connectors;
using FieldOps.Integration.Core.Outbox;

namespace FieldOps.Integration.Core.Dispatch;

/// <summary>
/// Turns one attempt's outcome into the row's next state — the dispatcher's whole retry policy in one pure class:
/// delivered; transient and conflict retried with backoff (Retry-After wins) until attempts or age run out; throttled
/// waits as told without counting an attempt; permanent and configuration dead-lettered at once; outcome unknown retried like a transient
/// fault but kept in flight, so the next attempt checks for the effect first (dead-lettered as <c>OutcomeUnknown</c>
/// when attempts or age run out).
/// </summary>
internal sealed class OutcomePolicy(DispatcherOptions options, BackoffPolicy backoff)
{
    /// <summary>The update for <paramref name="row"/> after attempt number <paramref name="attempt"/> ended with <paramref name="outcome"/>.</summary>
    public OutboxUpdate Decide(
        ClaimedOperation row, DeliveryOutcome outcome, int attempt, DateTimeOffset firstAttemptAt, DateTimeOffset now,
        IReadOnlyList<AttemptRecord> records)
    {
        ArgumentNullException.ThrowIfNull(row);
        ArgumentNullException.ThrowIfNull(outcome);
        var op = row.Operation;
        var update = new OutboxUpdate
        {
            Id = op.Id,
            State = OutboxStates.Pending,
            Attempts = attempt,
            FirstAttemptAt = firstAttemptAt,
            LastOutcome = outcome.Kind,
            LastError = outcome.Message,
            AttemptRecords = records,
        };
        switch (outcome.Kind)
        {
            case OutcomeKind.Delivered:
                return update with
                {
                    State = OutboxStates.Delivered,
                    LastError = null,
                    TargetId = outcome.TargetId,
                    CrossReference = op.XrefSourceId is { } sourceId && outcome.TargetId is { } targetId
                        ? (op.Connector, outcome.TargetType ?? op.ObjectType, sourceId, targetId)
                        : null,
                };
            case OutcomeKind.Permanent:
            case OutcomeKind.Configuration:
                // The fields the target named go into the reason, so the operator's view can point at their mapping lines.
                return DeadLetter(update, row, outcome.Kind,
                    outcome.Fields.Count == 0 ? outcome.Message : $"{outcome.Message} (fields: {string.Join(", ", outcome.Fields)})", attempt);
            case OutcomeKind.Business:
                // The record exists in the target: keep its id so a later operation (or the admin) can find it, but stop
                // here — the rows behind it on the partition (e.g. the invoice email) stay held until someone decides.
                return DeadLetter(update with
                {
                    TargetId = outcome.TargetId,
                    CrossReference = op.XrefSourceId is { } businessSource && outcome.TargetId is { } businessTarget
                        ? (op.Connector, outcome.TargetType ?? op.ObjectType, businessSource, businessTarget)
                        : null,
                }, row, outcome.Kind, outcome.Message, attempt);
            case OutcomeKind.Throttled:
                // A throttle is the target pacing us, not a failure of this operation: it does not use up an attempt.
                return now - firstAttemptAt >= options.MaxAge
                    ? DeadLetter(update, row, outcome.Kind, outcome.Message, attempt)
                    : update with { Attempts = attempt - 1, NextAttemptAt = now + backoff.Next(attempt, outcome.RetryAfter) };
            default:
                if (attempt >= options.MaxAttempts || now - firstAttemptAt >= options.MaxAge)
                    return DeadLetter(update, row, outcome.Kind, outcome.Message, attempt);
                return update with
                {
                    State = outcome.Kind == OutcomeKind.OutcomeUnknown ? OutboxStates.InFlight : OutboxStates.Pending,
                    NextAttemptAt = now + backoff.Next(attempt, outcome.RetryAfter),
                };
        }
    }

    /// <summary>A dead letter for <paramref name="row"/> with a reason an admin can act on.</summary>
    public static OutboxUpdate DeadLetter(OutboxUpdate update, ClaimedOperation row, OutcomeKind kind, string? message, int attempts)
    {
        ArgumentNullException.ThrowIfNull(update);
        ArgumentNullException.ThrowIfNull(row);
        return update with
        {
            State = OutboxStates.Dead,
            LastOutcome = kind,
            LastError = message,
            DeadReason = Reason(row, kind.ToString(), message, attempts),
        };
    }

    /// <summary>The dead-letter text: outcome class, the target's text, the flow, the source file and the attempts.</summary>
    public static string Reason(ClaimedOperation row, string kind, string? message, int attempts)
    {
        ArgumentNullException.ThrowIfNull(row);
        return string.Create(CultureInfo.InvariantCulture,
            $"{kind}: {message ?? "(no message)"} [flow '{row.Operation.Flow}', file '{row.SourceFile ?? "?"}', {row.Operation.Connector} {row.Operation.Operation} {row.Operation.ObjectType}, after {attempts} attempt(s)]");
    }
}
