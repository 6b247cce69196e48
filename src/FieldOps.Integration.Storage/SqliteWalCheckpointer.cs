using Dapper;
using FieldOps.Integration.Core.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace FieldOps.Integration.Storage;

/// <summary>
/// Checkpoints SQLite's write-ahead log in the background, on a connection of its own, every
/// <see cref="StoreOptions.WalCheckpointInterval"/>. A passive checkpoint copies back into the database what every
/// reader is done with, without waiting for anyone, so the next writer restarts the WAL from its start: the WAL stays
/// small and a committing writer (an intake group commit, say) seldom reaches SQLite's automatic checkpoint of 1,000
/// pages, which runs inside that writer's commit and delays its acknowledgements. The automatic checkpoint stays on as
/// the backstop. Not a truncating checkpoint: that holds the write lock while it waits for readers, which would stall
/// the intake behind a long read; <c>journal_size_limit</c> (64 MB) trims the file when the log restarts.
/// </summary>
public sealed class SqliteWalCheckpointer(IStoreConnections connections, StoreOptions options, ILogger<SqliteWalCheckpointer> logger)
    : BackgroundService, IReportsLoopFaults
{
    private readonly LoopFaults _faults = new("The WAL checkpointer", logger);

    public IReadOnlyList<LoopFaults> Faults => [_faults];
    private long _passes;

    /// <summary>How many checkpoints the loop has finished.</summary>
    public long Passes => Interlocked.Read(ref _passes);

    /// <summary>SQLite's answer to the loop's last checkpoint, or null before the first.</summary>
    public WalCheckpoint? Last { get; private set; }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (connections is not SqliteConnectionFactory || options.WalCheckpointInterval <= TimeSpan.Zero)
            return;
        while (!stoppingToken.IsCancellationRequested)
        {
            var wait = options.WalCheckpointInterval;
            try
            {
                Last = await CheckpointAsync(stoppingToken).ConfigureAwait(false);
                Interlocked.Increment(ref _passes);
                _faults.Succeeded();
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                // The store is down or the disk is full (or a fault of another kind, logged as unexpected): the writers'
                // automatic checkpoint remains, and a checkpoint is no reason to stop the host.
                wait = _faults.Failed(ex);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            try
            {
                await Task.Delay(wait, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>One passive checkpoint: SQLite's answer (busy, frames in the log, frames copied back).</summary>
    public async Task<WalCheckpoint> CheckpointAsync(CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await connection.QuerySingleAsync<WalCheckpoint>(new CommandDefinition(
            "PRAGMA wal_checkpoint(PASSIVE)", cancellationToken: cancellationToken)).ConfigureAwait(false);
    }
}

/// <summary>What <c>PRAGMA wal_checkpoint</c> answers: busy (1 when it could not finish), frames in the WAL, frames copied back.</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Style", "IDE1006:Naming Styles", Justification = "The pragma's column names.")]
public sealed record WalCheckpoint(long busy, long log, long checkpointed);
