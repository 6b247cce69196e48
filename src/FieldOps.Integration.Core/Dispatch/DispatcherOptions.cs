using System.ComponentModel.DataAnnotations;

namespace FieldOps.Integration.Core.Dispatch;

/// <summary>How the outbox dispatcher claims, retries and gives up (<c>Dispatcher</c> section).</summary>
public sealed class DispatcherOptions
{
    public const string SectionName = "Dispatcher";

    /// <summary>Whether this process dispatches at all. <value>The default value is <c>true</c>.</value></summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Attempts before an operation is dead-lettered. <value>The default value is 10.</value></summary>
    [Range(1, 1000)]
    public int MaxAttempts { get; set; } = 10;

    /// <summary>Age (since the first attempt) after which a failing operation is dead-lettered. <value>The default value is 24 hours.</value></summary>
    public TimeSpan MaxAge { get; set; } = TimeSpan.FromHours(24);

    /// <summary>The first retry's backoff ceiling (full jitter below it). <value>The default value is 2 seconds.</value></summary>
    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>The cap on any backoff. <value>The default value is 10 minutes.</value></summary>
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How long a claim holds a row unless renewed (the dispatcher renews its leases while calls run, so a call may last longer); a crashed worker's rows are claimed again after it. Must exceed <see cref="ShutdownTimeout"/>. <value>The default value is 5 minutes.</value></summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// How often the dispatcher looks for due rows of every connector. Between polls it claims at once when the router
    /// commits new rows, and for a connector when one of its deliveries finishes; a connector whose last claim found
    /// fewer rows than it had room for is asked again after a tenth of this while other deliveries finish (one of them
    /// may release its row on a shared partition key) and otherwise at the poll (retries falling due, another
    /// process's rows, an operator's replay). <value>The default value is 1 second.</value>
    /// </summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Vendor calls in flight at once per connector (different partition keys; a batch of n rows counts n). The
    /// dispatcher holds up to twice as many rows (<see cref="DeliveryLanes"/>): claimed ahead, in a call, or waiting for
    /// their write-back. <value>The default value is 8.</value>
    /// </summary>
    [Range(1, 256)]
    public int ConcurrencyPerConnector { get; set; } = 8;

    /// <summary>
    /// Whether rows of one connector claimed together go in one vendor call when the connector has a batch endpoint
    /// (<see cref="Connectors.IBatchConnector"/>: BambooHR hours, HubSpot upserts). Each row is still written back as
    /// if sent alone. A batch takes at most <see cref="ConcurrencyPerConnector"/> rows.
    /// <value>The default value is <c>true</c>.</value>
    /// </summary>
    public bool BatchDelivery { get; set; } = true;

    /// <summary>The most rows one batch call carries (the connector's own cap applies too; 1 sends every row alone). <value>The default value is 100.</value></summary>
    [Range(1, 1000)]
    public int MaxBatchSize { get; set; } = 100;

    /// <summary>How long an operation waits for an unresolved <c>$xref</c> before it is dead-lettered. <value>The default value is 1 hour.</value></summary>
    public TimeSpan XrefWaitLimit { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How often a waiting <c>$xref</c> is looked up again. <value>The default value is 5 seconds.</value></summary>
    public TimeSpan XrefRecheckInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long shutdown waits for deliveries in flight before it releases them. <value>The default value is 20 seconds.</value></summary>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>Failure ratio (transient outcomes) that opens a connector's breaker. <value>The default value is 0.5.</value></summary>
    [Range(0.01, 1.0)]
    public double BreakerFailureRatio { get; set; } = 0.5;

    /// <summary>Calls in the sampling window before the breaker may open. <value>The default value is 10.</value></summary>
    [Range(2, 10_000)]
    public int BreakerMinimumThroughput { get; set; } = 10;

    /// <summary>The breaker's sampling window. <value>The default value is 30 seconds.</value></summary>
    public TimeSpan BreakerSamplingDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long an open breaker pauses a connector's claims before one probe. <value>The default value is 30 seconds.</value></summary>
    public TimeSpan BreakerBreakDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often the list of broken connections is read back from the store. <value>The default value is 30 seconds.</value></summary>
    public TimeSpan BrokenConnectionsRefresh { get; set; } = TimeSpan.FromSeconds(30);
}
