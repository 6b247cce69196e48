using FieldOps.Integration.Core.Connectors;
using FieldOps.Integration.Core.CrossReferences;
using FieldOps.Integration.Core.Credentials;
using FieldOps.Integration.Core.Outbox;
using Polly;
using Polly.CircuitBreaker;
using Polly.RateLimiting;

namespace FieldOps.Integration.Core.Dispatch;

internal sealed partial class OperationDelivery
{
    /// <summary>One row of a batch call: the operation as sent, and its own attempt records.</summary>
    private sealed record BatchRow(ClaimedOperation Row, OutboundOperation Op, DateTimeOffset FirstAttemptAt)
    {
        public List<AttemptRecord> Records { get; } = [];
    }

    /// <summary>
    /// Delivers rows that <see cref="DeliveryBatches"/> grouped for one <see cref="IBatchConnector"/> in one call, each
    /// taking the steps of a single delivery: its <c>$xref</c>s resolved (a row still waiting is written back and left
    /// out); every non-idempotent row's in-flight mark committed before the call; the call through the gate, counted
    /// once by the rate limiter and the breaker; a lost answer made outcome unknown for each non-idempotent row; one
    /// token refresh and one retry of the rows the target rejected as auth-expired; each row's own write-back.
    /// <paramref name="callEnded"/> runs once the call has returned, before the write-backs.
    /// </summary>
    public async Task DeliverBatchAsync(IReadOnlyList<ClaimedOperation> rows, string owner, CancellationToken cancellationToken, Action? callEnded = null)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.Count == 0)
            return;
        var connector = (IBatchConnector)_connectors[rows[0].Operation.Connector];
        var gate = gates[connector.Name];
        var now = time.GetUtcNow();
        var batch = new List<BatchRow>(rows.Count);
        foreach (var row in rows)
        {
            var missing = await XrefResolver.ResolveAsync(row.Operation.Payload, crossReferences, cancellationToken).ConfigureAwait(false);
            if (missing is not null)
                await WriteAsync(WaitForXref(row, missing, now), owner).ConfigureAwait(false);
            else
                batch.Add(new BatchRow(row, row.Operation with { Attempt = row.Attempts + 1 }, row.FirstAttemptAt ?? now));
        }
        if (batch.Count == 0)
            return;
        // As for one row: "may have been applied" must be on disk before the vendor can apply anything (group-committed);
        // a row whose lease another worker has taken meanwhile is left out of the call.
        var marked = await Task.WhenAll(batch.Select(b => connector.IsNonIdempotent(b.Op)
            ? store.MarkInFlightAsync(b.Op.Id, owner, b.Op.Attempt, b.FirstAttemptAt, time.GetUtcNow(), cancellationToken)
            : Task.FromResult(true))).ConfigureAwait(false);
        for (var i = batch.Count - 1; i >= 0; i--)
        {
            if (!marked[i])
            {
                LogLeaseLost(logger, connector.Name, batch[i].Op.Id, batch[i].Row.InboxEventId);
                batch.RemoveAt(i);
            }
        }
        if (batch.Count == 0)
            return;

        IReadOnlyList<DeliveryOutcome?>? outcomes;
        using (DeliveryTracing.StartBatch(batch.Select(b => b.Row).ToList()))
        {
            outcomes = await CallBatchAsync(connector, gate, batch, cancellationToken).ConfigureAwait(false);
            if (outcomes is not null && outcomes.Any(o => o?.Kind == OutcomeKind.AuthExpired))
                outcomes = await RefreshAndRetryBatchAsync(connector, gate, batch, outcomes, cancellationToken).ConfigureAwait(false);
        }
        for (var i = 0; i < batch.Count; i++)
            BeforeSlotsFreed(batch[i].Row, batch[i].Op, outcomes?[i], gate);
        callEnded?.Invoke();
        // Each row's write-back is its own, as if sent alone; together they share the store's group commit.
        await Task.WhenAll(batch.Select((b, i) => WriteBackBatchRowAsync(b, outcomes?[i], connector, owner))).ConfigureAwait(false);
    }

    private async Task WriteBackBatchRowAsync(BatchRow b, DeliveryOutcome? outcome, IConnector connector, string owner)
    {
        var (row, op) = (b.Row, b.Op);
        using var scope = logger.BeginScope(new Dictionary<string, object> { ["InboxEventId"] = row.InboxEventId, ["OutboxMessageId"] = op.Id, ["Connector"] = op.Connector, ["Flow"] = op.Flow });
        using var activity = DeliveryTracing.Start(row);
        if (outcome is not null)
            DeliveryTracing.Attempted(op, outcome);
        await WriteBackAsync(row, op, outcome, b.FirstAttemptAt, b.Records, connector, owner).ConfigureAwait(false);
    }

    /// <summary>
    /// One batch call through the connector's gate. Null when the gate did not let it through (nothing sent). Each
    /// row's outcome follows the single call's rules, and each row gets an attempt record of the call.
    /// </summary>
    private async Task<IReadOnlyList<DeliveryOutcome>?> CallBatchAsync(
        IBatchConnector connector, ConnectorGate gate, IReadOnlyList<BatchRow> batch, CancellationToken cancellationToken)
    {
        var ops = batch.Select(b => b.Op).ToList();
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(ConnectorGate.InboxEventIdKey, batch[0].Row.InboxEventId);
        context.Properties.Set(ConnectorGate.OutboxMessageIdKey, batch[0].Op.Id);
        IReadOnlyList<DeliveryOutcome> outcomes = [];
        try
        {
            await gate.Pipeline.ExecuteAsync(async ctx =>
            {
                var started = time.GetUtcNow();
                var timestamp = time.GetTimestamp();
                try
                {
                    outcomes = await connector.DeliverBatchAsync(ops, ctx.CancellationToken).ConfigureAwait(false);
                    if (outcomes.Count != ops.Count)
                    {
                        outcomes = Each(ops.Count, DeliveryOutcome.Transient($"{connector.Name} answered {outcomes.Count} outcomes for a batch of {ops.Count}")
                            with { MayHaveBeenApplied = true });
                    }
                }
                catch (ConnectionBrokenException ex)
                {
                    outcomes = Each(ops.Count, DeliveryOutcome.ConnectionBroken(ex.Reason));
                }
                catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
                {
                    // The one place an exception escaping a batch call is caught: a passing fault (timeout, network) for each row.
                    outcomes = Each(ops.Count, DeliveryOutcome.Unanswered($"{ex.GetType().Name}: {ex.Message}", ex));
                }
                // A non-idempotent row the call may have applied is never re-sent blindly: it stays in flight for the effect check.
                outcomes = outcomes.Select((o, i) => connector.IsNonIdempotent(ops[i]) && TransportFaults.MayHaveBeenApplied(o) ? o.AsOutcomeUnknown() : o).ToList();
                var duration = time.GetElapsedTime(timestamp);
                for (var i = 0; i < ops.Count; i++)
                    Record(ops[i], outcomes[i], started, duration, batch[i].Row.InboxEventId, batch[i].Records, tagSpan: false);
                // The breaker counts the call: it failed when no row in it got more than a passing fault.
                return outcomes.FirstOrDefault(o => o.Kind is not (OutcomeKind.Transient or OutcomeKind.OutcomeUnknown)) ?? outcomes[0];
            }, context).ConfigureAwait(false);
            return outcomes;
        }
        catch (Exception ex) when (ex is BrokenCircuitException or RateLimiterRejectedException)
        {
            foreach (var b in batch)
                LogNotCalled(logger, b.Op.Connector, b.Op.Id, b.Row.InboxEventId, ex.Message);
            return null; // not called: released without counting an attempt
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    /// <summary>
    /// Refreshes the batch's token once and sends the rows the target rejected again, in one call; a rejected row whose
    /// retry the gate did not let through gets no outcome (released); the others keep the first call's.
    /// </summary>
    private async Task<IReadOnlyList<DeliveryOutcome?>> RefreshAndRetryBatchAsync(
        IBatchConnector connector, ConnectorGate gate, IReadOnlyList<BatchRow> batch, IReadOnlyList<DeliveryOutcome?> outcomes, CancellationToken cancellationToken)
    {
        var rejected = Enumerable.Range(0, batch.Count).Where(i => outcomes[i]?.Kind == OutcomeKind.AuthExpired).ToList();
        var first = batch[rejected[0]];
        var broken = await RefreshTokenAsync(first.Op, first.Records[^1], cancellationToken).ConfigureAwait(false);
        var retried = broken is null
            ? await CallBatchAsync(connector, gate, rejected.Select(i => batch[i]).ToList(), cancellationToken).ConfigureAwait(false)
            : Each(rejected.Count, broken);
        var merged = outcomes.ToArray();
        for (var j = 0; j < rejected.Count; j++)
            merged[rejected[j]] = AfterRefresh(retried?[j]);
        return merged;
    }

    private static DeliveryOutcome[] Each(int count, DeliveryOutcome outcome) => Enumerable.Repeat(outcome, count).ToArray();
}
