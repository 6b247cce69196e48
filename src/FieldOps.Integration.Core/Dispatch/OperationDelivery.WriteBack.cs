using FieldOps.Integration.Core.Connectors;
using FieldOps.Integration.Core.Outbox;

namespace FieldOps.Integration.Core.Dispatch;

/// <summary>How a delivery ends: the one write-back of its row, and the row updates it may write.</summary>
internal sealed partial class OperationDelivery
{
    /// <summary>A row claimed ahead and never called (its connector was paused before its turn): back to the outbox as it was.</summary>
    public async Task ReleaseUnsentAsync(ClaimedOperation row, string owner)
    {
        ArgumentNullException.ThrowIfNull(row);
        LogNotCalled(logger, row.Operation.Connector, row.Operation.Id, row.InboxEventId, "the connector is paused");
        await WriteAsync(Release(row, []) with { State = row.State, XrefWaitSince = row.XrefWaitSince }, owner).ConfigureAwait(false);
    }

    /// <summary>
    /// The write-back after a call, single or batched: a call that did not happen (breaker, limiter) or a broken
    /// connection releases the row without counting an attempt; anything else goes through the <see cref="OutcomePolicy"/>.
    /// </summary>
    private async Task WriteBackAsync(
        ClaimedOperation row, OutboundOperation op, DeliveryOutcome? outcome, DateTimeOffset firstAttemptAt, List<AttemptRecord> records,
        IConnector connector, string owner)
    {
        if (outcome is null || outcome.Kind == OutcomeKind.ConnectionBroken)
        {
            await WriteAsync(Release(row, records), owner).ConfigureAwait(false);
            return;
        }
        var now = time.GetUtcNow();
        await FinishAsync(policy.Decide(row, outcome, op.Attempt, firstAttemptAt, now, records), connector, owner, row, op.Connector).ConfigureAwait(false);
    }

    private async Task FinishAsync(OutboxUpdate update, IConnector connector, string owner, ClaimedOperation row, string connectorName)
    {
        if (update.State == OutboxStates.InFlight && update.NextAttemptAt is { } next && connector is IEffectChecker { EffectVisibleAfter: var lag }
            && next < time.GetUtcNow() + lag)
        {
            // The check must not run before the target can show the effect (HubSpot's search trails its writes).
            update = update with { NextAttemptAt = time.GetUtcNow() + lag };
        }
        await WriteAsync(update, owner).ConfigureAwait(false);
        DeliveryTracing.Finished(update);
        if (update.State == OutboxStates.Dead)
            LogDeadLettered(logger, connectorName, update.Id, row.InboxEventId, scrubber.Scrub(update.DeadReason!));
        else if (update.State == OutboxStates.Pending && update.NextAttemptAt is { } retryAt)
            LogRetryScheduled(logger, connectorName, update.Id, row.InboxEventId, update.Attempts + 1, options.Value.MaxAttempts, retryAt - time.GetUtcNow());
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
        KeepLastOutcome = records.Count == 0,
        AttemptRecords = records,
    };

    private static OutboxUpdate CannotCheck(ClaimedOperation row, IConnector connector) => new()
    {
        Id = row.Operation.Id,
        State = OutboxStates.Dead,
        Attempts = row.Attempts,
        FirstAttemptAt = row.FirstAttemptAt,
        LastError = "outcome unknown",
        DeadReason = OutcomePolicy.Reason(row, "OutcomeUnknown",
            $"a non-idempotent call was interrupted and {connector.Name} cannot check for its effect (sent at most once); replay to send again or discard",
            row.Attempts),
    };

    /// <summary>The one write-back: every text the target sent us is scrubbed of secrets before it is stored.</summary>
    private Task<bool> WriteAsync(OutboxUpdate update, string owner) =>
        store.UpdateAsync(scrubber.Scrub(update), owner, time.GetUtcNow(), CancellationToken.None);
}
