using FieldOps.Integration.Core.Connectors;
using FieldOps.Integration.Core.CrossReferences;
using FieldOps.Integration.Core.Credentials;
using FieldOps.Integration.Core.Outbox;
using Polly.CircuitBreaker;
using Polly.RateLimiting;

namespace FieldOps.Integration.Core.Dispatch;

internal sealed partial class OperationDelivery
{
    /// <summary>
    /// Delivers rows that <see cref="DeliveryBatches"/> grouped for one <see cref="IBatchConnector"/> in one call:
    /// each row's <c>$xref</c> placeholders are resolved as for a single row (a row still waiting is written back and
    /// left out), then every row's outcome is written back exactly as a single delivery's would be.
    /// </summary>
    public async Task DeliverBatchAsync(IReadOnlyList<ClaimedOperation> rows, string owner, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.Count == 0)
            return;
        var connector = (IBatchConnector)_connectors[rows[0].Operation.Connector];
        var now = time.GetUtcNow();
        var ready = new List<(ClaimedOperation Row, OutboundOperation Op)>(rows.Count);
        foreach (var row in rows)
        {
            var missing = await XrefResolver.ResolveAsync(row.Operation.Payload, crossReferences, cancellationToken).ConfigureAwait(false);
            if (missing is not null)
                await WriteAsync(WaitForXref(row, missing, now), owner).ConfigureAwait(false);
            else
                ready.Add((row, row.Operation with { Attempt = row.Attempts + 1 }));
        }
        if (ready.Count == 0)
            return;
        var ops = ready.Select(r => r.Op).ToList();
        var records = ready.Select(_ => new List<AttemptRecord>()).ToList();
        IReadOnlyList<DeliveryOutcome?>? outcomes = await CallBatchAsync(connector, ops, records, cancellationToken).ConfigureAwait(false);
        if (outcomes is not null && outcomes.Any(o => o?.Kind == OutcomeKind.AuthExpired))
            outcomes = await RefreshAndRetryBatchAsync(connector, ops, outcomes, records, cancellationToken).ConfigureAwait(false);
        for (var i = 0; i < ready.Count; i++)
        {
            var (row, op) = ready[i];
            using var scope = logger.BeginScope(new Dictionary<string, object> { ["InboxEventId"] = row.InboxEventId, ["OutboxMessageId"] = op.Id, ["Connector"] = op.Connector, ["Flow"] = op.Flow });
            await WriteBackAsync(row, op, outcomes?[i], row.FirstAttemptAt ?? now, records[i], owner, connector).ConfigureAwait(false);
        }
    }

    private async Task WriteBackAsync(
        ClaimedOperation row, OutboundOperation op, DeliveryOutcome? outcome, DateTimeOffset firstAttemptAt, List<AttemptRecord> records, string owner,
        IConnector connector)
    {
        if (outcome is null || outcome.Kind == OutcomeKind.ConnectionBroken)
        {
            if (outcome is not null)
                MarkBroken(op, outcome.Message ?? "connection broken");
            await WriteAsync(Release(row, records), owner).ConfigureAwait(false);
            return;
        }
        var now = time.GetUtcNow();
        if (outcome.Kind == OutcomeKind.Throttled)
            gates[op.Connector].PauseUntil(now + (outcome.RetryAfter ?? options.Value.BaseDelay));
        await FinishAsync(policy.Decide(row, outcome, op.Attempt, firstAttemptAt, now, records), connector, owner, row, op.Connector).ConfigureAwait(false);
    }

    /// <summary>
    /// One batch call through the connector's gate: the rate limiter and the breaker count it once. Null when the gate
    /// did not let it through. Every row gets an attempt record of the call with its own outcome.
    /// </summary>
    private async Task<IReadOnlyList<DeliveryOutcome>?> CallBatchAsync(
        IBatchConnector connector, List<OutboundOperation> ops, List<List<AttemptRecord>> records, CancellationToken cancellationToken)
    {
        IReadOnlyList<DeliveryOutcome> outcomes = [];
        try
        {
            await gates[connector.Name].Pipeline.ExecuteAsync(async token =>
            {
                var started = time.GetUtcNow();
                var timestamp = time.GetTimestamp();
                try
                {
                    outcomes = await connector.DeliverBatchAsync(ops, token).ConfigureAwait(false);
                    if (outcomes.Count != ops.Count)
                        outcomes = Each(ops, DeliveryOutcome.Transient($"{connector.Name} answered {outcomes.Count} outcomes for a batch of {ops.Count}"));
                }
                catch (ConnectionBrokenException ex)
                {
                    outcomes = Each(ops, DeliveryOutcome.ConnectionBroken(ex.Reason));
                }
                catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
                {
                    // The one place an exception escaping a batch call is caught: a passing fault for every row in it.
                    outcomes = Each(ops, DeliveryOutcome.Transient($"{ex.GetType().Name}: {ex.Message}"));
                }
                var duration = time.GetElapsedTime(timestamp);
                for (var i = 0; i < ops.Count; i++)
                {
                    records[i].Add(new AttemptRecord(ops[i].Attempt, started, duration, outcomes[i].Kind, outcomes[i].StatusCode,
                        Bound(outcomes[i].Message), ResponseRedactor.Redact(outcomes[i].ResponseExcerpt)));
                }
                // The breaker counts the call, not its rows: it failed when no row in it got anything but a passing fault.
                return outcomes.FirstOrDefault(o => o.Kind != OutcomeKind.Transient) ?? outcomes[0];
            }, cancellationToken).ConfigureAwait(false);
            return outcomes;
        }
        catch (Exception ex) when (ex is BrokenCircuitException or RateLimiterRejectedException)
        {
            return null; // not called: released without counting an attempt
        }
    }

    /// <summary>
    /// Refreshes the batch's token once and sends the rows the target rejected again, as one batch call; a row whose
    /// retry the gate did not let through gets no outcome (released), the others keep the first call's.
    /// </summary>
    private async Task<IReadOnlyList<DeliveryOutcome?>> RefreshAndRetryBatchAsync(
        IBatchConnector connector, List<OutboundOperation> ops, IReadOnlyList<DeliveryOutcome?> outcomes, List<List<AttemptRecord>> records,
        CancellationToken cancellationToken)
    {
        var rejected = Enumerable.Range(0, ops.Count).Where(i => outcomes[i]?.Kind == OutcomeKind.AuthExpired).ToList();
        var merged = outcomes.ToArray();
        var broken = await RefreshTokenAsync(ops[rejected[0]], records[rejected[0]][^1], cancellationToken).ConfigureAwait(false);
        var retried = broken is null
            ? await CallBatchAsync(connector, rejected.Select(i => ops[i]).ToList(), rejected.Select(i => records[i]).ToList(), cancellationToken)
                .ConfigureAwait(false)
            : Each(rejected, broken);
        for (var j = 0; j < rejected.Count; j++)
        {
            merged[rejected[j]] = retried?[j] is not { } outcome ? null
                : outcome.Kind == OutcomeKind.AuthExpired ? DeliveryOutcome.ConnectionBroken($"the target rejected a freshly refreshed token: {outcome.Message}")
                : outcome;
        }
        return merged;
    }

    /// <summary>Refreshes <paramref name="op"/>'s token once; returns a connection-broken outcome when that cannot help.</summary>
    private async Task<DeliveryOutcome?> RefreshTokenAsync(OutboundOperation op, AttemptRecord rejected, CancellationToken cancellationToken)
    {
        var connection = $"{op.Connector}:{op.Connection}";
        if (!tokens.Knows(connection))
            return DeliveryOutcome.ConnectionBroken($"the target rejected our credentials and {connection} has no token endpoint to refresh them");
        try
        {
            await tokens.RefreshAsync(connection, rejected.StartedAt + rejected.Duration, cancellationToken).ConfigureAwait(false);
            return null;
        }
        catch (ConnectionBrokenException ex)
        {
            return DeliveryOutcome.ConnectionBroken(ex.Reason);
        }
    }

    private static DeliveryOutcome[] Each<T>(IReadOnlyCollection<T> items, DeliveryOutcome outcome) =>
        Enumerable.Repeat(outcome, items.Count).ToArray();
}
