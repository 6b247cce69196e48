using System.Text;
using Dapper;
using FieldOps.Integration.Core.Inbox;
using FieldOps.Integration.Core.Sources;
using FieldOps.Integration.Storage.Sources;

namespace FieldOps.Integration.Storage.Inbox;

/// <summary>
/// The poll append: one page's records and the watermark that covers them in one transaction, apart from the
/// group-commit path (a poll page is already a batch, and its watermark must not commit without it).
/// </summary>
public sealed partial class InboxStore : IPolledInboxAppender
{
    public async Task<PolledAppendResult> AppendPolledAsync(
        string source, IReadOnlyList<PolledRecord> records, PageCommit commit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(records);
        ArgumentNullException.ThrowIfNull(commit);
        var now = commit.At.ToUnixTimeMilliseconds();
        int appended = 0, stale = 0, duplicates = 0;
        await using var connection = await _connections.OpenAsync(cancellationToken).ConfigureAwait(false);
        using var turn = await _connections.TakeWriteTurnAsync(WritePriority.Normal, cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using var commands = new TransactionCommands(connection, transaction);
        var ledger = new EntityVersionLedger(_connections.Dialect, commands);
        foreach (var record in records)
        {
            var (verdict, reason) = await ledger.CheckAsync(
                source, record.EntityType, record.EntityId, record.Version, record.Topic).ConfigureAwait(false);
            if (verdict == EntityVersionLedger.Verdict.Duplicate)
            {
                duplicates++;
                continue;
            }
            var isStale = verdict == EntityVersionLedger.Verdict.Stale;
            var id = await connection.ExecuteScalarAsync<long?>(_polledInsertSql, new
            {
                Source = source,
                record.DedupKey,
                ReceivedAt = now,
                Body = Encoding.UTF8.GetBytes(record.PayloadJson),
                State = isStale ? InboxEventState.Stale : InboxEventState.New,
                Reason = reason,
                RoutedAt = isStale ? now : (long?)null,
                record.TraceParent,
            }, transaction).ConfigureAwait(false);
            if (id is not { } newId)
            {
                duplicates++;
                continue;
            }
            if (isStale)
            {
                stale++;
                continue;
            }
            appended++;
            await ledger.RecordAsync(source, record.EntityType, record.EntityId, record.Version, record.Topic, newId, now)
                .ConfigureAwait(false);
        }
        await WatermarkSql.ApplyAsync(_connections.Dialect, connection, transaction, source, commit, appended + stale).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return new PolledAppendResult(appended, stale, duplicates);
    }
}
