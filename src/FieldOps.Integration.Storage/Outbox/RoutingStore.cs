using Dapper;
using FieldOps.Integration.Core.Inbox;
using FieldOps.Integration.Core.Outbox;
using FieldOps.Integration.Core.Routing;

namespace FieldOps.Integration.Storage.Outbox;

/// <summary>
/// Writes the router's results: outbox rows and the inbox event's new state, in one transaction — for one event, or
/// for a group of events (one commit for all). Rows go in through one <see cref="OutboxRowWriter"/> per transaction;
/// their <c>seq</c> (FIFO order within a partition key) comes from the dialect's cursor for the transaction.
/// </summary>
public sealed partial class RoutingStore(IStoreConnections connections, TimeProvider time) : IRoutingStore
{
    public async Task<int> CommitRoutedAsync(long inboxEventId, IReadOnlyList<NewOutboxRow> rows, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var results = await CommitRoutedBatchAsync([new RoutedEvent(inboxEventId, rows, null)], cancellationToken).ConfigureAwait(false);
        return results[0].Added;
    }

    /// <summary>What the store's dialect takes for the store's fault, not the data's (<see cref="Dialects.SqlDialect.IsStoreSideFault"/>).</summary>
    public bool IsStoreSideFault(Exception exception) => connections.Dialect.IsStoreSideFault(exception);

    public Task<bool> MarkParkedAsync(long inboxEventId, string reason, CancellationToken cancellationToken) =>
        MarkIfNewAsync(SetStateIfNewSql, inboxEventId, InboxEventState.Parked, reason, cancellationToken);

    public Task<bool> MarkUnmatchedAsync(long inboxEventId, string reason, CancellationToken cancellationToken) =>
        MarkIfNewAsync(SetStateIfNewSql, inboxEventId, InboxEventState.Unmatched, reason, cancellationToken);

    // Awaiting afresh (the router's first look at the event): no entity, no attempts yet.
    public Task<bool> MarkAwaitingHydrationAsync(long inboxEventId, string reason, CancellationToken cancellationToken) =>
        MarkIfNewAsync(
            "UPDATE inbox SET state = @state, state_reason = @reason, routed_at = @now, hydration_key = NULL, hydration_attempts = 0 WHERE id = @id AND state = @fresh",
            inboxEventId, InboxEventState.AwaitingHydration, reason, cancellationToken);

    // Only an event still new: a router whose claim ran out while it mapped must not overwrite what another router
    // committed meanwhile (a park over "routed" would offer the operator a re-route of an event already delivered).
    private async Task<bool> MarkIfNewAsync(string sql, long inboxEventId, string state, string reason, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken).ConfigureAwait(false);
        using var turn = await connections.TakeWriteTurnAsync(WritePriority.Normal, cancellationToken).ConfigureAwait(false);
        return await connection.ExecuteAsync(new CommandDefinition(sql,
            new { id = inboxEventId, state, reason, now = time.GetUtcNow().ToUnixTimeMilliseconds(), fresh = InboxEventState.New },
            cancellationToken: cancellationToken)).ConfigureAwait(false) == 1;
    }

    private const string SetStateSql = "UPDATE inbox SET state = @state, state_reason = @reason, routed_at = @now WHERE id = @id";

    private static Task<int> SetStateAsync(TransactionCommands commands, long id, string state, string? reason, long now, CancellationToken cancellationToken) =>
        commands.ExecuteAsync(SetStateSql, cancellationToken, ("@state", state), ("@reason", reason), ("@now", now), ("@id", id));
}
