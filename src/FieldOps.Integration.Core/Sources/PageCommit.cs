namespace FieldOps.Integration.Core.Sources;

/// <summary>The watermark change that commits with one page's inbox rows.</summary>
/// <param name="SweepSince">The sweep's "changed since".</param>
/// <param name="NextCursor">The next page; null when this page was the last: the sweep closes and the watermark advances.</param>
/// <param name="SweepMax">The newest version seen by the sweep so far, this page included.</param>
/// <param name="At">Now.</param>
public sealed record PageCommit(DateTimeOffset? SweepSince, string? NextCursor, DateTimeOffset? SweepMax, DateTimeOffset At);
