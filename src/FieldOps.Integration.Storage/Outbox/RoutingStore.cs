using System.Data.Common;
using Dapper;
using FieldOps.Integration.Core.Inbox;
using FieldOps.Integration.Core.Outbox;
using FieldOps.Integration.Core.Routing;

namespace FieldOps.Integration.Storage.Outbox;

/// <summary>Writes the router's results: outbox rows and the inbox event's new state, in one transaction.</summary>
public sealed partial class RoutingStore(IStoreConnections connections, TimeProvider time) : IRoutingStore
{
    // seq orders rows FIFO within a partition key; the dialect says where the next one comes from.
    private readonly string _insert = connections.Dialect.InsertIfAbsent("outbox", OutboxRowSql.Columns, OutboxRowSql.Values(connections.Dialect.NextOutboxSeq), ["id"]);

    public async Task<int> CommitRoutedAsync(long inboxEventId, IReadOnlyList<NewOutboxRow> rows, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        await using var connection = await connections.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var added = await InsertRowsAsync(connection, transaction, rows, now, cancellationToken).ConfigureAwait(false);
        await SetStateAsync(connection, transaction, inboxEventId, InboxEventState.Routed, null, now, cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return added;
    }

    private async Task<int> InsertRowsAsync(
        DbConnection connection, DbTransaction transaction, IReadOnlyList<NewOutboxRow> rows, long now, CancellationToken cancellationToken)
    {
        var added = 0;
        foreach (var row in rows)
        {
            added += await connection.ExecuteAsync(new CommandDefinition(_insert, new
            {
                row.Id,
                row.InboxEventId,
                row.Flow,
                row.OperationKey,
                row.MappingRevision,
                row.Connector,
                row.Connection,
                row.Operation,
                row.ObjectType,
                row.IdempotencyKey,
                row.PartitionKey,
                Payload = row.Payload.GetRawText(),
                row.XrefSourceId,
                row.SourceFile,
                Now = now,
            }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        }
        return added;
    }

    public Task MarkParkedAsync(long inboxEventId, string reason, CancellationToken cancellationToken) =>
        MarkAsync(inboxEventId, InboxEventState.Parked, reason, cancellationToken);

    public Task MarkUnmatchedAsync(long inboxEventId, string reason, CancellationToken cancellationToken) =>
        MarkAsync(inboxEventId, InboxEventState.Unmatched, reason, cancellationToken);

    public Task MarkAwaitingHydrationAsync(long inboxEventId, string reason, CancellationToken cancellationToken) =>
        MarkAsync(inboxEventId, InboxEventState.AwaitingHydration, reason, cancellationToken);

    private async Task MarkAsync(long inboxEventId, string state, string reason, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken).ConfigureAwait(false);
        await SetStateAsync(connection, null, inboxEventId, state, reason, time.GetUtcNow().ToUnixTimeMilliseconds(), cancellationToken).ConfigureAwait(false);
    }

    private static Task<int> SetStateAsync(
        DbConnection connection, DbTransaction? transaction, long id, string state, string? reason, long now,
        CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition(
            "UPDATE inbox SET state = @state, state_reason = @reason, routed_at = @now WHERE id = @id",
            new { id, state, reason, now }, transaction, cancellationToken: cancellationToken));
}
