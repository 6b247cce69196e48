using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FieldOps.Integration.Core.Housekeeping;

/// <summary>Applies retention (<see cref="HousekeepingOptions"/>) and keeps the store's files bounded.</summary>
public sealed partial class Housekeeper(IRetentionStore store, IOptions<HousekeepingOptions> options, TimeProvider time, ILogger<Housekeeper> logger)
{
    /// <summary>Prunes, then compacts; returns what was deleted.</summary>
    public async Task<RetentionResult> RunAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var now = time.GetUtcNow();
        var cutoffs = new RetentionCutoffs(
            now - settings.DeliveredOutboxRetention, now - settings.AttemptRetention, now - settings.RoutedInboxRetention, now - settings.EntityVersionRetention);
        var result = await store.PruneAsync(cutoffs, settings.DeleteBatchSize, cancellationToken).ConfigureAwait(false);
        var compaction = await store.CompactAsync(settings.VacuumFreeRatio, settings.VacuumMinFreePages, cancellationToken).ConfigureAwait(false);
        LogDone(result.OutboxRows, result.Attempts, result.InboxEvents, result.EntityVersions, compaction);
        return result;
    }

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Housekeeping: deleted {OutboxRows} outbox rows, {Attempts} attempts, {InboxEvents} inbox events, {EntityVersions} entity versions; {Compaction}")]
    private partial void LogDone(long outboxRows, long attempts, long inboxEvents, long entityVersions, string compaction);
}
