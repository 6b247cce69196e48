namespace FieldOps.Integration.Core.Hydration;

/// <summary>How thin events are hydrated (the <c>Hydration</c> section).</summary>
public sealed class HydrationOptions
{
    public const string SectionName = "Hydration";

    /// <summary>
    /// An entity is fetched once no new event about it has arrived for this long, so a burst costs one fetch.
    /// <value>The default value is 500 ms.</value>
    /// </summary>
    public TimeSpan Debounce { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>The longest an event waits for its burst to end. <value>The default value is 3 s.</value></summary>
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>How often the inbox is checked for events awaiting hydration. <value>The default value is 50 ms.</value></summary>
    public TimeSpan ScanInterval { get; set; } = TimeSpan.FromMilliseconds(50);

    /// <summary>Fetches in flight at once per process. <value>The default value is 4.</value></summary>
    public int Concurrency { get; set; } = 4;

    /// <summary>
    /// Failed fetches per event before it is left unmatched with the error (re-route them to try again).
    /// <value>The default value is 8.</value>
    /// </summary>
    public int MaxAttempts { get; set; } = 8;

    /// <summary>
    /// How long a process's claim on an entity lasts; it is renewed every third of it while the fetch runs, so a
    /// process that dies holding it delays that entity by at most this long before another process takes it over.
    /// <value>The default value is 30 s.</value>
    /// </summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The first retry delay after a failed fetch; it doubles per attempt, up to 5 minutes. <value>The default value is 1 s.</value></summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(1);
}
