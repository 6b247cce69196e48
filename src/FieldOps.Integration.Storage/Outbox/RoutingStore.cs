using System.Data.Common;
using Dapper;
using FieldOps.Integration.Core.Inbox;
using FieldOps.Integration.Core.Outbox;
using FieldOps.Integration.Core.Routing;
using FieldOps.Integration.Core.Storage;

namespace FieldOps.Integration.Storage.Outbox;

/// <summary>Writes the router's results: outbox rows and the inbox event's new state, in one transaction.</summary>
public sealed partial class RoutingStore(IDbConnectionFactory connections, TimeProvider time) : IRoutingStore
{
    // seq orders rows FIFO within a partition key. SQLite has one writer at a time, so MAX+1 inside the write
    // transaction is safe; PostgreSQL takes it from a sequence.
    private const string SqliteSeq = "(SELECT COALESCE(MAX(seq), 0) + 1 FROM outbox)";
    private const string PostgresSeq = "nextval('outbox_seq')";

    private const string InsertTemplate =
        "INSERT INTO outbox (id, seq, inbox_event_id, flow, operation_key, mapping_revision, connector, connection, operation, " +
        "object_type, idempotency_key, partition_key, payload, xref_source_id, source_file, state, attempts, created_at, next_attempt_at) " +
        "VALUES (@Id, {0}, @InboxEventId, @Flow, @OperationKey, @MappingRevision, @Connector, @Connection, @Operation, " +
        "@ObjectType, @IdempotencyKey, @PartitionKey, @Payload, @XrefSourceId, @SourceFile, 'pending', 0, @Now, @Now) " +
        "ON CONFLICT (id) DO NOTHING";

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
        var insert = InsertTemplate.Replace("{0}", connections.Provider == StoreProvider.Postgres ? PostgresSeq : SqliteSeq, StringComparison.Ordinal);
        var added = 0;
        foreach (var row in rows)
        {
            added += await connection.ExecuteAsync(new CommandDefinition(insert, new
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
