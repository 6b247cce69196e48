using System.Data.Common;
using System.Globalization;
using System.Text;
using Dapper;
using FieldOps.Integration.Core.Inbox;
using FieldOps.Integration.Core.Outbox;
using FieldOps.Integration.Core.Routing;
using FieldOps.Integration.Core.Storage;

namespace FieldOps.Integration.Storage.Outbox;

/// <summary>
/// Writes the router's results: outbox rows and the inbox event's new state, in one transaction — for one event, or
/// for a group of events (one commit for all). Rows go in multi-row INSERTs; on SQLite their <c>seq</c> (FIFO order
/// within a partition key) is read once per transaction — SQLite has one writer, and a non-deferred transaction
/// holds the write lock from its start — and counted up in order; PostgreSQL takes it from a sequence.
/// </summary>
public sealed partial class RoutingStore(IDbConnectionFactory connections, TimeProvider time) : IRoutingStore
{
    private const int RowsPerInsert = 50;

    private const string InsertColumns =
        "INSERT INTO outbox (id, seq, inbox_event_id, flow, operation_key, mapping_revision, connector, connection, operation, " +
        "object_type, idempotency_key, partition_key, payload, xref_source_id, source_file, state, attempts, created_at, next_attempt_at) VALUES ";

    public async Task<int> CommitRoutedAsync(long inboxEventId, IReadOnlyList<NewOutboxRow> rows, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var results = await CommitRoutedBatchAsync([new RoutedEvent(inboxEventId, rows, null)], cancellationToken).ConfigureAwait(false);
        return results[0].Added;
    }

    private static async Task<int> InsertRowsAsync(
        DbConnection connection, DbTransaction transaction, IReadOnlyList<NewOutboxRow> rows, SeqCursor seq, long now, CancellationToken cancellationToken)
    {
        var added = 0;
        for (var start = 0; start < rows.Count; start += RowsPerInsert)
        {
            var count = Math.Min(RowsPerInsert, rows.Count - start);
            var sql = new StringBuilder(InsertColumns);
            var args = new DynamicParameters();
            args.Add("Now", now);
            for (var i = 0; i < count; i++)
            {
                var row = rows[start + i];
                var p = "@p" + i.ToString(CultureInfo.InvariantCulture);
                sql.Append(i == 0 ? "" : ", ")
                    .Append(CultureInfo.InvariantCulture, $"({p}id, {await seq.NextAsync(args, p[1..] + "seq").ConfigureAwait(false)}, {p}ev, {p}flow, {p}key, {p}rev, {p}conn, {p}cn, ")
                    .Append(CultureInfo.InvariantCulture, $"{p}op, {p}type, {p}idem, {p}part, {p}payload, {p}xref, {p}file, 'pending', 0, @Now, @Now)");
                args.Add(p[1..] + "id", row.Id);
                args.Add(p[1..] + "ev", row.InboxEventId);
                args.Add(p[1..] + "flow", row.Flow);
                args.Add(p[1..] + "key", row.OperationKey);
                args.Add(p[1..] + "rev", row.MappingRevision);
                args.Add(p[1..] + "conn", row.Connector);
                args.Add(p[1..] + "cn", row.Connection);
                args.Add(p[1..] + "op", row.Operation);
                args.Add(p[1..] + "type", row.ObjectType);
                args.Add(p[1..] + "idem", row.IdempotencyKey);
                args.Add(p[1..] + "part", row.PartitionKey);
                args.Add(p[1..] + "payload", row.Payload.GetRawText());
                args.Add(p[1..] + "xref", row.XrefSourceId);
                args.Add(p[1..] + "file", row.SourceFile);
            }
            sql.Append(" ON CONFLICT (id) DO NOTHING");
            added += await connection.ExecuteAsync(new CommandDefinition(sql.ToString(), args, transaction, cancellationToken: cancellationToken))
                .ConfigureAwait(false);
        }
        return added;
    }

    public Task MarkParkedAsync(long inboxEventId, string reason, CancellationToken cancellationToken) =>
        MarkAsync(inboxEventId, InboxEventState.Parked, reason, cancellationToken);

    public Task MarkUnmatchedAsync(long inboxEventId, string reason, CancellationToken cancellationToken) =>
        MarkAsync(inboxEventId, InboxEventState.Unmatched, reason, cancellationToken);

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

    /// <summary>
    /// The next <c>seq</c> values of one transaction: on SQLite, one MAX read and then counted up (the transaction holds
    /// the write lock); on PostgreSQL the sequence, per row.
    /// </summary>
    private sealed class SeqCursor(DbConnection connection, DbTransaction transaction, bool postgres)
    {
        private long? _next;

        /// <summary>The SQL for the next row's seq (SQLite: a parameter named <paramref name="name"/>, added to <paramref name="args"/>).</summary>
        public async ValueTask<string> NextAsync(DynamicParameters args, string name)
        {
            if (postgres)
                return "nextval('outbox_seq')";
            _next ??= await connection.ExecuteScalarAsync<long>("SELECT COALESCE(MAX(seq), 0) + 1 FROM outbox", transaction: transaction).ConfigureAwait(false);
            args.Add(name, _next++);
            return "@" + name;
        }
    }
}
