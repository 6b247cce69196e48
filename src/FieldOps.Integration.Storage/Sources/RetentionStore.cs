using System.Data.Common;
using Dapper;
using FieldOps.Integration.Core.Housekeeping;

namespace FieldOps.Integration.Storage.Sources;

/// <summary>Prunes by retention and keeps the SQLite file and its WAL bounded.</summary>
public sealed class RetentionStore(IStoreConnections connections) : IRetentionStore
{
    private const int MaxBatchesPerStatement = 1000;
    private readonly RetentionSql _sql = new(connections.Dialect);

    public async Task<RetentionResult> PruneAsync(RetentionCutoffs cutoffs, int batchSize, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(cutoffs);
        var args = new
        {
            outbox = cutoffs.DeliveredOutbox.ToUnixTimeMilliseconds(),
            attempts = cutoffs.Attempts.ToUnixTimeMilliseconds(),
            inbox = cutoffs.RoutedInbox.ToUnixTimeMilliseconds(),
            versions = cutoffs.EntityVersions.ToUnixTimeMilliseconds(),
            batch = batchSize,
        };
        await using var connection = await connections.OpenAsync(cancellationToken).ConfigureAwait(false);
        var attempts = await RepeatAsync(connection, _sql.Attempts, args, cancellationToken).ConfigureAwait(false);
        attempts += await RepeatAsync(connection, _sql.OutboxAttempts, args, cancellationToken).ConfigureAwait(false);
        var outbox = await RepeatAsync(connection, _sql.Outbox, args, cancellationToken).ConfigureAwait(false);
        var inbox = await RepeatAsync(connection, _sql.Inbox, args, cancellationToken).ConfigureAwait(false);
        if (inbox > 0)
        {
            await connection.ExecuteAsync(new CommandDefinition(RetentionSql.Enrichments, cancellationToken: cancellationToken)).ConfigureAwait(false);
            await connection.ExecuteAsync(new CommandDefinition(RetentionSql.EnrichmentRetries, cancellationToken: cancellationToken)).ConfigureAwait(false);
        }
        var versions = await connection.ExecuteAsync(new CommandDefinition(RetentionSql.EntityVersions, args, cancellationToken: cancellationToken))
            .ConfigureAwait(false);
        return new RetentionResult(outbox, attempts, inbox, versions);
    }

    public Task<string> CompactAsync(double freeRatio, long minFreePages, CancellationToken cancellationToken) =>
        connections.Dialect.CompactAsync(connections, freeRatio, minFreePages, cancellationToken);

    // A turn at the write lock per batch (SQLite), so the webhooks' commits go between a prune's batches.
    private async Task<long> RepeatAsync(DbConnection connection, string sql, object args, CancellationToken cancellationToken)
    {
        long total = 0;
        for (var i = 0; i < MaxBatchesPerStatement; i++)
        {
            int deleted;
            using (await connections.TakeWriteTurnAsync(WritePriority.Normal, cancellationToken).ConfigureAwait(false))
                deleted = await connection.ExecuteAsync(new CommandDefinition(sql, args, cancellationToken: cancellationToken)).ConfigureAwait(false);
            total += deleted;
            if (deleted == 0)
                break;
        }
        return total;
    }
}
