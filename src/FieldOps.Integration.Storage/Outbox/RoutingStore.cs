using System.Data.Common;
using System.Globalization;
using Dapper;
using FieldOps.Integration.Core.Inbox;
using FieldOps.Integration.Core.Outbox;
using FieldOps.Integration.Core.Routing;
using FieldOps.Integration.Storage.Dialects;

namespace FieldOps.Integration.Storage.Outbox;

/// <summary>
/// Writes the router's results: outbox rows and the inbox event's new state, in one transaction — for one event, or
/// for a group of events (one commit for all). Rows go in multi-row INSERTs; their <c>seq</c> (FIFO order within a
/// partition key) comes from the dialect's cursor for the transaction.
/// </summary>
public sealed partial class RoutingStore(IStoreConnections connections, TimeProvider time) : IRoutingStore
{
    private const int RowsPerInsert = 50;

    public async Task<int> CommitRoutedAsync(long inboxEventId, IReadOnlyList<NewOutboxRow> rows, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var results = await CommitRoutedBatchAsync([new RoutedEvent(inboxEventId, rows, null)], cancellationToken).ConfigureAwait(false);
        return results[0].Added;
    }

    private async Task<int> InsertRowsAsync(
        DbConnection connection, DbTransaction transaction, IReadOnlyList<NewOutboxRow> rows, OutboxSeqCursor seq, long now, CancellationToken cancellationToken)
    {
        var added = 0;
        for (var start = 0; start < rows.Count; start += RowsPerInsert)
        {
            var count = Math.Min(RowsPerInsert, rows.Count - start);
            var values = new List<IReadOnlyList<string>>(count);
            var args = new DynamicParameters();
            args.Add("Now", now);
            for (var i = 0; i < count; i++)
            {
                var row = rows[start + i];
                var prefix = "p" + i.ToString(CultureInfo.InvariantCulture);
                values.Add(OutboxRowSql.Values(await seq.NextAsync(args, prefix + "Seq").ConfigureAwait(false), prefix));
                object?[] parameters =
                [
                    row.Id, row.InboxEventId, row.Flow, row.OperationKey, row.MappingRevision, row.Connector, row.Connection, row.Operation,
                    row.ObjectType, row.IdempotencyKey, row.PartitionKey, row.Payload.GetRawText(), row.XrefSourceId, row.SourceFile,
                ];
                for (var j = 0; j < parameters.Length; j++)
                    args.Add(prefix + OutboxRowSql.Parameters[j], parameters[j]);
            }
            var sql = connections.Dialect.InsertManyIfAbsent("outbox", OutboxRowSql.Columns, values, ["id"]);
            added += await connection.ExecuteAsync(new CommandDefinition(sql, args, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
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
