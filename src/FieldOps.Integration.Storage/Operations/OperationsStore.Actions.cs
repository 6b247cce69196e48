using System.Data.Common;
using Dapper;
using FieldOps.Integration.Core.Operations;

namespace FieldOps.Integration.Storage.Operations;

public sealed partial class OperationsStore
{
    // Bulk actions run in chunks so the write lock (SQLite) is never held long against the dispatcher's claims.
    private const int Chunk = 500;

    public async Task<int> ReplayAsync(IReadOnlyCollection<string> ids, string? note, CancellationToken cancellationToken, ActionAudit? audit = null)
    {
        ArgumentNullException.ThrowIfNull(ids);
        if (ids.Count == 0 && audit is not null)
        {
            await using var connection = await connections.OpenAsync(cancellationToken).ConfigureAwait(false);
            using var turn = await connections.TakeWriteTurnAsync(WritePriority.Normal, cancellationToken).ConfigureAwait(false);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await AuditAsync(connection, transaction, audit, 0, time.GetUtcNow().ToUnixTimeMilliseconds(), cancellationToken).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return 0;
        }
        var total = 0;
        foreach (var chunk in ids.Chunk(Chunk))
        {
            var now = time.GetUtcNow().ToUnixTimeMilliseconds();
            await using var connection = await connections.OpenAsync(cancellationToken).ConfigureAwait(false);
            using var turn = await connections.TakeWriteTurnAsync(WritePriority.Normal, cancellationToken).ConfigureAwait(false);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await RecordAsync(connection, transaction, chunk, OperationActions.Replay, ["dead"], note, null, now, cancellationToken).ConfigureAwait(false);
            var replayed = await connection.ExecuteAsync(new CommandDefinition(_queries.Replay, new { Ids = chunk, Now = now }, transaction,
                cancellationToken: cancellationToken)).ConfigureAwait(false);
            await ReleaseAsync(connection, transaction, chunk, now, cancellationToken).ConfigureAwait(false);
            if (audit is not null)
                await AuditAsync(connection, transaction, audit, replayed, now, cancellationToken).ConfigureAwait(false);
            total += replayed;
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
        return total;
    }

    public async Task<bool> DiscardAsync(string id, string reason, CancellationToken cancellationToken, ActionAudit? audit = null)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        string[] ids = [id];
        await using var connection = await connections.OpenAsync(cancellationToken).ConfigureAwait(false);
        using var turn = await connections.TakeWriteTurnAsync(WritePriority.Normal, cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await RecordAsync(connection, transaction, ids, OperationActions.Discard, ["dead", "blocked"], reason, null, now, cancellationToken)
            .ConfigureAwait(false);
        var changed = await connection.ExecuteAsync(new CommandDefinition(_queries.Discard, new { Ids = ids, Now = now, Reason = reason },
            transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        await ReleaseAsync(connection, transaction, ids, now, cancellationToken).ConfigureAwait(false);
        if (audit is not null)
            await AuditAsync(connection, transaction, audit, changed, now, cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return changed == 1;
    }

    public async Task<int> CommitRerouteAsync(long inboxEventId, IReadOnlyList<ReroutedRow> rows, CancellationToken cancellationToken, string? parkedReason = null)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        await using var connection = await connections.OpenAsync(cancellationToken).ConfigureAwait(false);
        using var turn = await connections.TakeWriteTurnAsync(WritePriority.Normal, cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var superseded = new List<string>();
        foreach (var (row, old) in rows)
        {
            long? seq = null;
            if (old is not null)
            {
                // The new row takes the old row's place in its key's order, so the rows blocked behind it stay behind it.
                seq = await connection.ExecuteScalarAsync<long?>(new CommandDefinition("SELECT seq FROM outbox WHERE id = @old", new { old },
                    transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
                await RecordAsync(connection, transaction, [old], OperationActions.Superseded, ["pending", "dead", "blocked"],
                    $"replaced by {row.Id} (mapping revision {row.MappingRevision})", row.Id, now, cancellationToken).ConfigureAwait(false);
                var changed = await connection.ExecuteAsync(new CommandDefinition(
                    _queries.Supersede,
                    new { Id = old, Now = now, Reason = $"superseded by re-route: replaced by {row.Id}" }, transaction,
                    cancellationToken: cancellationToken)).ConfigureAwait(false);
                if (seq is null || changed != 1)
                    throw new InvalidOperationException($"outbox row {old} changed while it was being re-routed (claimed or completed); nothing was written, try again");
                superseded.Add(old);
            }
            await connection.ExecuteAsync(new CommandDefinition(
                OperationsQueries.Insert(seq is { } s ? s.ToString(System.Globalization.CultureInfo.InvariantCulture) : _queries.NextSeq),
                new
                {
                    row.Id, row.InboxEventId, row.Flow, row.OperationKey, row.MappingRevision, row.Connector, row.Connection, row.Operation,
                    row.ObjectType, row.IdempotencyKey, row.PartitionKey, row.Payload, row.XrefSourceId, row.SourceFile,
                    row.TraceParent, Now = now, ReplayOf = old,
                }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        }
        if (superseded.Count > 0)
            await ReleaseAsync(connection, transaction, superseded.ToArray(), now, cancellationToken).ConfigureAwait(false);
        await connection.ExecuteAsync(parkedReason is null
                ? new CommandDefinition(OperationsQueries.MarkRouted, new { Id = inboxEventId, Now = now }, transaction, cancellationToken: cancellationToken)
                : new CommandDefinition(OperationsQueries.MarkParked, new { Id = inboxEventId, Now = now, Reason = parkedReason }, transaction,
                    cancellationToken: cancellationToken)).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return rows.Count;
    }

    private Task<int> RecordAsync(
        DbConnection connection, DbTransaction transaction, IReadOnlyCollection<string> ids, string action, string[] states, string? note,
        string? relatedId, long now, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition(_queries.RecordAction,
            new { Ids = ids.ToArray(), States = states, Action = action, Note = note, RelatedId = relatedId, Now = now }, transaction,
            cancellationToken: cancellationToken));

    // In the action's transaction: the entry exists exactly when the action's change does.
    private static Task<int> AuditAsync(
        DbConnection connection, DbTransaction transaction, ActionAudit audit, int changed, long now, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition(AuditLogStore.Insert,
            new { At = now, audit.Actor, audit.Action, audit.Target, Detail = audit.Detail(changed) }, transaction, cancellationToken: cancellationToken));

    private Task<int> ReleaseAsync(DbConnection connection, DbTransaction transaction, IReadOnlyCollection<string> ids, long now, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition(_queries.ReleaseSuccessors, new { Ids = ids.ToArray(), Now = now }, transaction,
            cancellationToken: cancellationToken));
}
