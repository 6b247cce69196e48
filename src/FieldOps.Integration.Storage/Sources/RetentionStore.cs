using System.Data.Common;
using System.Globalization;
using Dapper;
using FieldOps.Integration.Core.Housekeeping;
using FieldOps.Integration.Core.Storage;

namespace FieldOps.Integration.Storage.Sources;

/// <summary>Prunes by retention and keeps the SQLite file and its WAL bounded.</summary>
public sealed class RetentionStore(IDbConnectionFactory connections) : IRetentionStore
{
    private const int MaxBatchesPerStatement = 1000;

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
        var attempts = await RepeatAsync(connection, RetentionSql.Attempts, args, cancellationToken).ConfigureAwait(false);
        attempts += await RepeatAsync(connection, RetentionSql.OutboxAttempts, args, cancellationToken).ConfigureAwait(false);
        var outbox = await RepeatAsync(connection, RetentionSql.Outbox, args, cancellationToken).ConfigureAwait(false);
        var inbox = await RepeatAsync(connection, RetentionSql.Inbox, args, cancellationToken).ConfigureAwait(false);
        var versions = await connection.ExecuteAsync(new CommandDefinition(RetentionSql.EntityVersions, args, cancellationToken: cancellationToken))
            .ConfigureAwait(false);
        return new RetentionResult(outbox, attempts, inbox, versions);
    }

    public async Task<string> CompactAsync(double freeRatio, long minFreePages, CancellationToken cancellationToken)
    {
        if (connections.Provider != StoreProvider.Sqlite)
            return "compaction left to the database (autovacuum)";
        await using var connection = await connections.OpenAsync(cancellationToken).ConfigureAwait(false);
        var pages = await connection.ExecuteScalarAsync<long>("PRAGMA page_count").ConfigureAwait(false);
        var free = await connection.ExecuteScalarAsync<long>("PRAGMA freelist_count").ConfigureAwait(false);
        var mode = await connection.ExecuteScalarAsync<long>("PRAGMA auto_vacuum").ConfigureAwait(false);
        var action = "no vacuum needed";
        if (free >= minFreePages && pages > 0 && (double)free / pages >= freeRatio)
        {
            if (mode == 2)
            {
                await connection.ExecuteAsync("PRAGMA incremental_vacuum").ConfigureAwait(false);
                action = $"incremental vacuum freed {free} pages";
            }
            else
            {
                // One full VACUUM switches the file to incremental auto-vacuum; later runs reclaim pages cheaply.
                await connection.ExecuteAsync("PRAGMA auto_vacuum = INCREMENTAL").ConfigureAwait(false);
                await connection.ExecuteAsync("VACUUM").ConfigureAwait(false);
                action = $"vacuumed {free} of {pages} free pages (auto_vacuum now incremental)";
            }
        }
        // TRUNCATE waits for readers and resets the WAL to zero bytes: the file stays bounded between runs.
        var checkpoint = await connection.QuerySingleAsync<(long Busy, long Log, long Checkpointed)>("PRAGMA wal_checkpoint(TRUNCATE)").ConfigureAwait(false);
        return string.Create(CultureInfo.InvariantCulture, $"{action}; WAL checkpoint {(checkpoint.Busy == 0 ? "truncated" : "busy")}");
    }

    private static async Task<long> RepeatAsync(DbConnection connection, string sql, object args, CancellationToken cancellationToken)
    {
        long total = 0;
        for (var i = 0; i < MaxBatchesPerStatement; i++)
        {
            var deleted = await connection.ExecuteAsync(new CommandDefinition(sql, args, cancellationToken: cancellationToken)).ConfigureAwait(false);
            total += deleted;
            if (deleted == 0)
                break;
        }
        return total;
    }
}
