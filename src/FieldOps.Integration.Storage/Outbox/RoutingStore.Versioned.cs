using System.Data.Common;
using Dapper;
using FieldOps.Integration.Core.Inbox;
using FieldOps.Integration.Core.Outbox;
using FieldOps.Integration.Core.Routing;
using FieldOps.Integration.Storage.Sources;

namespace FieldOps.Integration.Storage.Outbox;

/// <summary>Routing with the per-entity source-version ledger: the check, the rows and the record in one transaction.</summary>
public sealed partial class RoutingStore
{
    public async Task<VersionedRoutingResult> CommitRoutedAsync(
        long inboxEventId, IReadOnlyList<NewOutboxRow> rows, EntityVersionClaim version, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(version);
        return (await CommitRoutedBatchAsync([new RoutedEvent(inboxEventId, rows, version)], cancellationToken).ConfigureAwait(false))[0];
    }

    public async Task<IReadOnlyList<VersionedRoutingResult>> CommitRoutedBatchAsync(IReadOnlyList<RoutedEvent> events, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(events);
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var results = new List<VersionedRoutingResult>(events.Count);
        await using var connection = await connections.OpenAsync(cancellationToken).ConfigureAwait(false);
        var next = 0;
        while (next < events.Count)
        {
            using var turn = await connections.TakeWriteTurnAsync(WritePriority.Normal, cancellationToken).ConfigureAwait(false);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            // Routers of several processes commit one at a time, first thing (before any row lock), so seq order is commit order.
            if (connections.Dialect.OutboxSeqOrderLock is { } orderLock)
                await connection.ExecuteAsync(new CommandDefinition(orderLock, transaction: transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
            await using var writer = new OutboxRowWriter(connection, transaction, connections.Dialect, connections.Dialect.OpenOutboxSeq(connection, transaction), now);
            await using var commands = new TransactionCommands(connection, transaction);
            var ledger = new EntityVersionLedger(connections.Dialect, commands);
            // Each event is whole in one transaction, the group is only fewer commits: when a webhook's commit waits for
            // the write lock (SQLite), the events routed so far are committed and the lock passes to the intake first.
            do
                results.Add(await CommitOneAsync(connection, transaction, commands, ledger, events[next++], writer, now, cancellationToken).ConfigureAwait(false));
            while (next < events.Count && !turn.IntakeWaiting);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
        return results;
    }

    private const string SetStateIfNewSql =
        "UPDATE inbox SET state = @state, state_reason = @reason, routed_at = @now WHERE id = @id AND state = @fresh";

    private async Task<VersionedRoutingResult> CommitOneAsync(
        DbConnection connection, DbTransaction transaction, TransactionCommands commands, EntityVersionLedger ledger, RoutedEvent routed,
        OutboxRowWriter writer, long now, CancellationToken cancellationToken)
    {
        var (inboxEventId, rows, version, parkedReason) = routed;
        // Still new? Routers claim the events they route, but a claim can expire mid-batch (a stalled process); then a
        // second router's commit finds the event no longer new and writes nothing: with another mapping revision its
        // rows' ids would differ. The check sets the state the event will have (some flows failed while others mapped:
        // their rows are written and the event is parked for the failed ones); a stale version below sets it again.
        var state = parkedReason is null ? InboxEventState.Routed : InboxEventState.Parked;
        (string Name, object? Value)[] setState =
            [("@state", state), ("@reason", parkedReason), ("@now", now), ("@id", inboxEventId), ("@fresh", InboxEventState.New)];
        // A server database that runs batches (issue 15: each statement was a round trip on the commit's one connection)
        // sends the update and the version check together: the check only reads, and its answer counts only if the event
        // was new. Run alone, the check runs only then.
        var (isNew, check) = connections.Dialect.BatchesRoutingCommits
            ? await SetStateAndCheckInOneBatchAsync(connection, transaction, setState, version, inboxEventId, cancellationToken).ConfigureAwait(false)
            : await SetStateThenCheckAsync(commands, ledger, setState, version, inboxEventId, cancellationToken).ConfigureAwait(false);
        if (!isNew)
        {
            var current = await connection.QuerySingleOrDefaultAsync<(string State, string? Reason)>(new CommandDefinition(
                "SELECT state, state_reason FROM inbox WHERE id = @id", new { id = inboxEventId }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
            return new VersionedRoutingResult(current.State ?? InboxEventState.New, current.Reason, 0);
        }
        // The hydrator and the poll record the versions they accept under the event's id: those (and an event routed
        // before, then re-routed) were checked once already and are not checked against themselves again.
        var record = false;
        if (check is { } found)
        {
            var (verdict, reason) = found;
            if (verdict is EntityVersionLedger.Verdict.Stale or EntityVersionLedger.Verdict.Duplicate)
            {
                // A duplicate delivery is kept visibly as stale, with "duplicate of inbox event N", as the hydrator does.
                await SetStateAsync(commands, inboxEventId, InboxEventState.Stale, reason, now, cancellationToken).ConfigureAwait(false);
                return new VersionedRoutingResult(InboxEventState.Stale, reason, 0);
            }
            record = verdict == EntityVersionLedger.Verdict.Accept;
        }
        int added;
        if (connections.Dialect.BatchesRoutingCommits)
        {
            // The rows and the version's record in one batch.
            await using var batch = connection.CreateBatch();
            batch.Transaction = transaction;
            var inserts = writer.AddInserts(batch, rows);
            if (record)
                ledger.AddRecord(batch, version!.Source, version.EntityType, version.EntityId, version.Version, version.Topic, inboxEventId, now);
            if (batch.BatchCommands.Count > 0)
                await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            added = inserts.Sum(i => i.RecordsAffected);
        }
        else
        {
            added = await writer.InsertAsync(rows, cancellationToken).ConfigureAwait(false);
            if (record)
                await ledger.RecordAsync(version!.Source, version.EntityType, version.EntityId, version.Version, version.Topic, inboxEventId, now).ConfigureAwait(false);
        }
        return new VersionedRoutingResult(state, parkedReason, added);
    }

    // The "still new?" update, then (only if it was) the version check; no check without a version.
    private static async Task<(bool IsNew, (EntityVersionLedger.Verdict Verdict, string? Reason)? Check)> SetStateThenCheckAsync(
        TransactionCommands commands, EntityVersionLedger ledger, (string Name, object? Value)[] setState, EntityVersionClaim? version, long inboxEventId,
        CancellationToken cancellationToken)
    {
        if (await commands.ExecuteAsync(SetStateIfNewSql, cancellationToken, setState).ConfigureAwait(false) == 0)
            return (false, null);
        if (version is null)
            return (true, null);
        return (true, await ledger.CheckAsync(version.Source, version.EntityType, version.EntityId, version.Version, version.Topic, inboxEventId).ConfigureAwait(false));
    }

    // The same in one batch: the update returns no rows, so the check's row, when there is one, is the batch's only one.
    private static async Task<(bool IsNew, (EntityVersionLedger.Verdict Verdict, string? Reason)? Check)> SetStateAndCheckInOneBatchAsync(
        DbConnection connection, DbTransaction transaction, (string Name, object? Value)[] setState, EntityVersionClaim? version, long inboxEventId,
        CancellationToken cancellationToken)
    {
        await using var batch = connection.CreateBatch();
        batch.Transaction = transaction;
        var update = batch.AddStatement(SetStateIfNewSql, setState);
        if (version is not null)
            EntityVersionLedger.AddCheck(batch, version.Source, version.EntityType, version.EntityId, version.Version, version.Topic, inboxEventId);
        long?[]? row = null;
        await using (var reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            do
            {
                if (reader.FieldCount > 0 && await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                    row = TransactionCommands.Int64Row(reader);
            }
            while (await reader.NextResultAsync(cancellationToken).ConfigureAwait(false));
        }
        if (update.RecordsAffected == 0)
            return (false, null);
        if (version is null)
            return (true, null);
        return (true, EntityVersionLedger.JudgeRow(row ?? throw new InvalidOperationException("The version check gave no row"),
            version.EntityType, version.EntityId, version.Version, version.Topic));
    }
}
