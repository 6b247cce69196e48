using System.ComponentModel.DataAnnotations;

namespace FieldOps.Integration.Core.Mapping.Loading;

/// <summary>Where the mapping files are and how the router takes events (the <c>Mappings</c> section).</summary>
public sealed class MappingOptions
{
    public const string SectionName = "Mappings";

    public const string DefaultPath = "mappings";

    /// <summary>The mappings folder, relative to the content root. <value>The default value is <c>mappings</c>.</value></summary>
    [Required]
    public string Path { get; set; } = DefaultPath;

    /// <summary>How many new inbox events the router reads at once. <value>The default value is 256.</value></summary>
    [Range(1, 10_000)]
    public int BatchSize { get; set; } = 256;

    /// <summary>
    /// How many routed events the router commits in one transaction: one commit serves them all, and the write lock is
    /// held only briefly, so the webhook intake's group commit is not kept waiting. <value>The default value is 32.</value>
    /// </summary>
    [Range(1, 1_000)]
    public int CommitGroupSize { get; set; } = 32;

    /// <summary>
    /// How many events the router maps at the same time, beside the thread that commits them. Mapping is CPU work; the
    /// mapped events are still committed in their order, one group at a time, while the next are mapped. Half the cores
    /// by default, so a busy router leaves the webhook intake and the dispatcher their share (and a flow's enrich reads
    /// go out at most this many at a time). <value>The default value is half the number of cores, at least 1.</value>
    /// </summary>
    [Range(1, 64)]
    public int MappingThreads { get; set; } = Math.Clamp(Environment.ProcessorCount / 2, 1, 64);

    /// <summary>How long the router sleeps when the inbox has nothing new. <value>The default value is 25 ms.</value></summary>
    public TimeSpan IdleDelay { get; set; } = TimeSpan.FromMilliseconds(25);

    /// <summary>How long a file must be quiet after a change before it is reloaded. <value>The default value is 300 ms.</value></summary>
    public TimeSpan ReloadDebounce { get; set; } = TimeSpan.FromMilliseconds(300);

    /// <summary>How often the folder's content hash is compared, in case a change event was missed. <value>The default value is 30 s.</value></summary>
    public TimeSpan ReloadCheckInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How many times an <c>enrich</c> read that fails in a way that may pass (an outage, a timeout, throttling) is
    /// tried before the event is parked. <value>The default value is 8.</value>
    /// </summary>
    [Range(1, 100)]
    public int EnrichReadAttempts { get; set; } = 8;

    /// <summary>
    /// The wait after the first failed <c>enrich</c> read; it doubles with each failure, up to
    /// <see cref="EnrichRetryMaxDelay"/>. <value>The default value is 30 s.</value>
    /// </summary>
    public TimeSpan EnrichRetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The longest wait between two <c>enrich</c> reads of one event (also bounds a vendor's Retry-After). <value>The default value is 30 min.</value></summary>
    public TimeSpan EnrichRetryMaxDelay { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>The longest one expression may run. <value>The default value is 1 s.</value></summary>
    public TimeSpan ExpressionTimeLimit { get; set; } = TimeSpan.FromSeconds(1);
}
