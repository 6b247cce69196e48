namespace FieldOps.Integration.Core.Housekeeping;

/// <summary>Deletes what retention allows and keeps the store's files bounded.</summary>
public interface IRetentionStore
{
    /// <summary>Deletes rows older than the cutoffs, in batches; dead letters, parked and unmatched events are kept.</summary>
    Task<RetentionResult> PruneAsync(RetentionCutoffs cutoffs, int batchSize, CancellationToken cancellationToken);

    /// <summary>SQLite: truncates the WAL and reclaims free pages when worthwhile. Other stores: nothing.</summary>
    Task<string> CompactAsync(double freeRatio, long minFreePages, CancellationToken cancellationToken);
}

/// <summary>Rows older than these instants may go.</summary>
public sealed record RetentionCutoffs(DateTimeOffset DeliveredOutbox, DateTimeOffset Attempts, DateTimeOffset RoutedInbox, DateTimeOffset EntityVersions);

/// <summary>How many rows of each kind were deleted.</summary>
public sealed record RetentionResult(long OutboxRows, long Attempts, long InboxEvents, long EntityVersions);
