namespace FieldOps.Integration.Core.Sources;

/// <summary>What one poll run did.</summary>
/// <param name="Pages">Pages read and committed.</param>
/// <param name="Appended">New inbox events.</param>
/// <param name="Stale">Older versions recorded as stale.</param>
/// <param name="Duplicates">Records already in the inbox.</param>
/// <param name="SweepCompleted">True when the sweep reached its last page and the watermark advanced.</param>
/// <param name="Error">The error that ended the run early, recorded as the source's last error.</param>
public sealed record PollRunResult(int Pages, int Appended, int Stale, int Duplicates, bool SweepCompleted, string? Error)
{
    /// <summary>Set when the run stopped (not failed) because the source's API is paused for every process until then.</summary>
    public DateTimeOffset? PausedUntil { get; init; }
}
