using System.Data.Common;
using Dapper;
using FieldOps.Integration.Core.Outbox;

namespace FieldOps.Integration.Storage.Outbox;

/// <summary>The dispatcher's write-backs: one row at a time inside a group's transaction, or a group in one batch.</summary>
public sealed partial class OutboxStore
{
    // One row's write-back inside a group's transaction: false (nothing written) when the lease is no longer ours.
    private async Task<bool> WriteUpdateAsync(DbConnection connection, DbTransaction transaction, OutboxUpdate update, string owner, long nowMs)
    {
        var cancellationToken = CancellationToken.None;
        var commands = CommandsOf(connection);
        var changed = await OutboxQueries.ConnectionCommands.ExecuteAsync(commands.Update, transaction, OutboxQueries.UpdateValues(update, owner, nowMs))
            .ConfigureAwait(false);
        if (changed == 0)
            return false; // the lease was no longer ours: another worker owns the row now
        foreach (var attempt in update.AttemptRecords)
        {
            await OutboxQueries.ConnectionCommands.ExecuteAsync(commands.InsertAttempt, transaction, OutboxQueries.AttemptValues(update.Id, attempt, owner))
                .ConfigureAwait(false);
        }
        if (update.CrossReference is { } xref)
        {
            await OutboxQueries.ConnectionCommands.ExecuteAsync(commands.SaveXref(_queries.SaveXref), transaction, OutboxQueries.XrefValues(xref, nowMs))
                .ConfigureAwait(false);
        }
        if (update.State == OutboxStates.Dead)
        {
            await connection.ExecuteAsync(new CommandDefinition(OutboxQueries.BlockSuccessors, new { update.Id },
                transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        }
        return true;
    }

    private sealed record WriteBack(OutboxUpdate Update, string Owner, long NowMs);

    /// <summary>
    /// A group's write-backs in one batch, one round trip (issue 15: on PostgreSQL each row's update, attempt record and
    /// cross-reference were a round trip each, ~2.5 a delivery). Each row's statements follow its update in the order
    /// <see cref="WriteUpdateAsync"/> runs them. The batch begins with a savepoint: if an update finds its lease gone
    /// (another worker owns the row now), the batch is rolled back to it and the group is written again row by row in the
    /// same transaction, which skips that row's statements and answers false for it.
    /// </summary>
    private async Task<IReadOnlyList<bool>> WriteUpdatesInOneBatchAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<WriteBack> group)
    {
        await using var batch = connection.CreateBatch();
        batch.Transaction = transaction;
        batch.AddStatement("SAVEPOINT " + WriteBackSavepoint);
        var updates = new DbBatchCommand[group.Count];
        for (var i = 0; i < group.Count; i++)
        {
            var (update, owner, nowMs) = group[i];
            updates[i] = OutboxQueries.AddTo(batch, OutboxQueries.Update, OutboxQueries.UpdateParameters, OutboxQueries.UpdateValues(update, owner, nowMs));
            foreach (var attempt in update.AttemptRecords)
                OutboxQueries.AddTo(batch, OutboxQueries.InsertAttempt, OutboxQueries.AttemptParameters, OutboxQueries.AttemptValues(update.Id, attempt, owner));
            if (update.CrossReference is { } xref)
                OutboxQueries.AddTo(batch, _queries.SaveXref, OutboxQueries.XrefParameters, OutboxQueries.XrefValues(xref, nowMs));
            if (update.State == OutboxStates.Dead)
                OutboxQueries.AddTo(batch, OutboxQueries.BlockSuccessors, OutboxQueries.BlockParameters, [update.Id]);
        }
        await batch.ExecuteNonQueryAsync().ConfigureAwait(false);
        var written = new bool[group.Count];
        if (updates.All(u => u.RecordsAffected == 1))
        {
            Array.Fill(written, true);
            return written;
        }
        await transaction.RollbackAsync(WriteBackSavepoint).ConfigureAwait(false);
        for (var i = 0; i < group.Count; i++)
            written[i] = await WriteUpdateAsync(connection, transaction, group[i].Update, group[i].Owner, group[i].NowMs).ConfigureAwait(false);
        return written;
    }

    private const string WriteBackSavepoint = "write_backs";
}
