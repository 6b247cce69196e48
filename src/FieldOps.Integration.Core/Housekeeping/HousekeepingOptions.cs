namespace FieldOps.Integration.Core.Housekeeping;

/// <summary>Retention and store upkeep (the <c>Housekeeping</c> section), run by a scheduled job.</summary>
public sealed class HousekeepingOptions
{
    public const string SectionName = "Housekeeping";

    /// <summary>How often housekeeping runs. <value>The default value is 1 hour.</value></summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>A Quartz cron expression used instead of <see cref="Interval"/>. <value>The default value is none.</value></summary>
    public string? Cron { get; set; }

    /// <summary>Delivered (and discarded) outbox rows older than this are deleted. <value>The default value is 7 days.</value></summary>
    public TimeSpan DeliveredOutboxRetention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Attempt history of delivered or discarded rows older than this is deleted. <value>The default value is 7 days.</value></summary>
    public TimeSpan AttemptRetention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>
    /// Routed and stale inbox events older than this, with no outbox row left, are deleted (parked and unmatched
    /// events are kept until handled). Keep it above the longest sender retry window (Salesforce: 24 h).
    /// <value>The default value is 7 days.</value>
    /// </summary>
    public TimeSpan RoutedInboxRetention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Entity versions recorded longer ago than this are forgotten. <value>The default value is 30 days.</value></summary>
    public TimeSpan EntityVersionRetention { get; set; } = TimeSpan.FromDays(30);

    /// <summary>Rows deleted per statement, so writers are never blocked for long. <value>The default value is 5000.</value></summary>
    public int DeleteBatchSize { get; set; } = 5000;

    /// <summary>SQLite: reclaim space when this share of the file's pages is free. <value>The default value is 0.25.</value></summary>
    public double VacuumFreeRatio { get; set; } = 0.25;

    /// <summary>SQLite: but only when at least this many pages are free. <value>The default value is 2560 (10 MiB at 4 KiB pages).</value></summary>
    public long VacuumMinFreePages { get; set; } = 2560;
}
