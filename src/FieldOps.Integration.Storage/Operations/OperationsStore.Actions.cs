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

    public async Task<int> CommitRerouteAsync(
        long inboxEventId, IReadOnlyList<ReroutedRow> rows, CancellationToken cancellationToken, string? parkedReason = null, RerouteVersion? version = null)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        await using var connection = await connections.OpenAsync(cancellationToken).ConfigureAwait(false);
        using var turn = await connections.TakeWriteTurnAsync(WritePriority.Normal, cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        // Rows go to the end of their keys' order with seqs taken as the router takes its own: under the order lock, first
        // thing (else a router's later rows could commit first with higher seqs and be delivered before them). Under the
        // same lock, no newer version can be routed between the version check below and the commit.
        if (connections.Dialect.OutboxSeqOrderLock is { } orderLock)
            await connection.ExecuteAsync(new CommandDefinition(orderLock, transaction: transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        var superseded = new List<string>();
        var appended = false;
        foreach (var (row, old) in rows)
        {
            long? seq = null;
            if (old is not null)
            {
                // The new row takes the old row's place in its key's order, so the rows blocked behind it stay behind it —
                // when it has the same key: a row whose key changed has no place in its new key's order and goes to its end.
                var place = (await connection.QueryAsync<(long Seq, string PartitionKey)>(new CommandDefinition(
                    "SELECT seq, partition_key FROM outbox WHERE id = @old", new { old }, transaction, cancellationToken: cancellationToken))
                    .ConfigureAwait(false)).ToList();
                await RecordAsync(connection, transaction, [old], OperationActions.Superseded, ["pending", "dead", "blocked"],
                    $"replaced by {row.Id} (mapping revision {row.MappingRevision})", row.Id, now, cancellationToken).ConfigureAwait(false);
                var changed = await connection.ExecuteAsync(new CommandDefinition(
                    _queries.Supersede,
                    new { Id = old, Now = now, Reason = $"superseded by re-route: replaced by {row.Id}" }, transaction,
                    cancellationToken: cancellationToken)).ConfigureAwait(false);
                if (place.Count == 0 || changed != 1)
                    throw new InvalidOperationException($"outbox row {old} changed while it was being re-routed (claimed or completed); nothing was written, try again");
                superseded.Add(old);
                seq = place[0].PartitionKey == row.PartitionKey ? place[0].Seq : null;
            }
            appended |= seq is null;
            await connection.ExecuteAsync(new CommandDefinition(
                OperationsQueries.Insert(seq is { } s ? s.ToString(System.Globalization.CultureInfo.InvariantCulture) : _queries.NextSeq),
                new
                {
                    row.Id, row.InboxEventId, row.Flow, row.OperationKey, row.MappingRevision, row.Connector, row.Connection, row.Operation,
                    row.ObjectType, row.IdempotencyKey, row.PartitionKey, row.Payload, row.XrefSourceId, row.SourceFile,
                    row.TraceParent, Now = now, ReplayOf = old,
                }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        }
        if (appended && version is not null
            && await FindNewerVersionAsync(connection, transaction, inboxEventId, version, cancellationToken).ConfigureAwait(false) is { } newer)
            throw new InvalidOperationException(newer + "; nothing was written");
        if (superseded.Count > 0)
            await ReleaseAsync(connection, transaction, superseded.ToArray(), now, cancellationToken).ConfigureAwait(false);
        await connection.ExecuteAsync(parkedReason is null
                ? new CommandDefinition(OperationsQueries.MarkRouted, new { Id = inboxEventId, Now = now }, transaction, cancellationToken: cancellationToken)
                : new CommandDefinition(OperationsQueries.MarkParked, new { Id = inboxEventId, Now = now, Reason = parkedReason }, transaction,
                    cancellationToken: cancellationToken)).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return rows.Count;
    }

    public async Task<string?> FindNewerVersionAsync(long inboxEventId, RerouteVersion version, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(version);
        await using var connection = await connections.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await FindNewerVersionAsync(connection, null, inboxEventId, version, cancellationToken).ConfigureAwait(false);
    }

    // The versions the ledger holds for the event (under the names the hydrator, the poll or the router recorded) and its
    // envelope's claim; then, for each, the newest version of that entity another event brought, if newer.
    private static async Task<string?> FindNewerVersionAsync(
        DbConnection connection, DbTransaction? transaction, long inboxEventId, RerouteVersion version, CancellationToken cancellationToken)
    {
        var own = (await connection.QueryAsync<(string EntityType, string EntityId, long Version)>(new CommandDefinition(
            "SELECT entity_type, entity_id, source_version FROM entity_version WHERE inbox_event_id = @inboxEventId AND source = @source",
            new { inboxEventId, source = version.Source }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false)).ToList();
        // The claim too: a newer event may have been recorded under the envelope's names while this one was under the source's.
        if (version.Claim is { } claim)
            own.Add((claim.EntityType, claim.EntityId, claim.Version.ToUnixTimeMilliseconds()));
        foreach (var (entityType, entityId, ownVersion) in own)
        {
            var newer = (await connection.QueryAsync<(long EventId, long Version)>(new CommandDefinition(
                "SELECT inbox_event_id, source_version FROM entity_version WHERE source = @source AND entity_type = @entityType AND entity_id = @entityId " +
                "AND source_version > @ownVersion AND inbox_event_id <> @inboxEventId ORDER BY source_version DESC",
                new { source = version.Source, entityType, entityId, ownVersion, inboxEventId }, transaction, cancellationToken: cancellationToken))
                .ConfigureAwait(false)).ToList();
            if (newer.Count > 0)
            {
                var found = newer[0];
                return FormattableString.Invariant(
                    $"a newer version of {entityType} {entityId} was accepted since (inbox event {found.EventId}): {DateTimeOffset.FromUnixTimeMilliseconds(found.Version).UtcDateTime:O}, ") +
                    FormattableString.Invariant(
                    $"this event's is {DateTimeOffset.FromUnixTimeMilliseconds(ownVersion).UtcDateTime:O}; its new rows would be delivered after the newer change's and ") +
                    "overwrite it. Re-route the newest event of the record instead (or replay or discard this one's rows)";
            }
        }
        return null;
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
