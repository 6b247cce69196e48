using System.Globalization;
using Dapper;
using FieldOps.Integration.Core.Storage;

namespace FieldOps.Integration.Storage.Dialects;

/// <summary>SQLite keeps its own file small: vacuum when enough pages are free, and truncate the WAL.</summary>
public sealed partial class SqliteDialect
{
    public override async Task<string> CompactAsync(IDbConnectionFactory connections, double freeRatio, long minFreePages, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connections);
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
}
