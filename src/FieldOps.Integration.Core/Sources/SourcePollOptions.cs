namespace FieldOps.Integration.Core.Sources;

/// <summary>
/// How a source is polled (<c>Sources:{name}:Poll</c>): which adapter, and when. The adapter reads its own keys from
/// the same section (for REST: the URL, the "changed since" parameter, pagination and JSONata paths).
/// </summary>
public sealed class SourcePollOptions
{
    /// <summary>The poll adapter's name (<c>rest</c>); none means the source is not polled.</summary>
    public string? Adapter { get; set; }

    /// <summary>Run every this long. Either this or <see cref="Cron"/>. <value>The default value is none.</value></summary>
    public TimeSpan? Interval { get; set; }

    /// <summary>A Quartz cron expression (seconds first, e.g. <c>0 */5 * * * ?</c>). <value>The default value is none.</value></summary>
    public string? Cron { get; set; }

    /// <summary>The most pages one run reads; the next run continues. <value>The default value is 1000.</value></summary>
    public int MaxPagesPerRun { get; set; } = 1000;

    /// <summary>Where the first sweep starts when no watermark is stored. <value>The default value is none: everything.</value></summary>
    public DateTimeOffset? InitialWatermark { get; set; }

    /// <summary>True when a poll adapter is named.</summary>
    public bool IsEnabled => !string.IsNullOrWhiteSpace(Adapter);
}
