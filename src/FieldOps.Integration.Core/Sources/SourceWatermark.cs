namespace FieldOps.Integration.Core.Sources;

/// <summary>Where a polled source stands: what an admin sees under <c>/admin/sources</c> and <c>fieldops sources</c>.</summary>
public sealed record SourceWatermark
{
    public required string Source { get; init; }

    /// <summary>Every change up to this instant is in the inbox; null before the first completed sweep.</summary>
    public DateTimeOffset? Watermark { get; init; }

    /// <summary>True while a sweep is part-way through its pages (it resumes at <see cref="SweepCursor"/>).</summary>
    public bool SweepOpen { get; init; }

    /// <summary>The open sweep's "changed since".</summary>
    public DateTimeOffset? SweepSince { get; init; }

    /// <summary>The open sweep's next page; null for the first.</summary>
    public string? SweepCursor { get; init; }

    /// <summary>The newest version the open sweep has committed.</summary>
    public DateTimeOffset? SweepMax { get; init; }

    public DateTimeOffset? LastRunAt { get; init; }

    /// <summary>The instance (<c>{name}:{pid}:{hex}</c>) that ran the last poll: among several processes, the one holding the poll job.</summary>
    public string? LastRunBy { get; init; }

    public DateTimeOffset? LastSuccessAt { get; init; }

    /// <summary>The last run's error, cleared by a successful run.</summary>
    public string? LastError { get; init; }

    public DateTimeOffset? LastErrorAt { get; init; }

    /// <summary>The last failed fetch of a record this source's webhooks named (hydration), cleared by the next success.</summary>
    public string? HydrationLastError { get; init; }

    public DateTimeOffset? HydrationLastErrorAt { get; init; }

    public DateTimeOffset? HydrationLastSuccessAt { get; init; }

    /// <summary>Until when calls to the source's API are paused for every process (a throttle), possibly past; null if never.</summary>
    public DateTimeOffset? PausedUntil { get; init; }

    /// <summary>Records written to the inbox by polls of this source.</summary>
    public long RecordsTotal { get; init; }

    /// <summary>How far the watermark trails <paramref name="now"/>; null without a watermark.</summary>
    public TimeSpan? LagAt(DateTimeOffset now) => Watermark is { } w ? now - w : null;
}
