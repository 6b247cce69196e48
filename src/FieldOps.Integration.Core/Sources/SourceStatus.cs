namespace FieldOps.Integration.Core.Sources;

/// <summary>One source as an admin sees it: its watermark, last run, last error and lag.</summary>
public sealed record SourceStatus(
    string Source,
    string? Kind,
    string? PollAdapter,
    string? Schedule,
    DateTimeOffset? Watermark,
    TimeSpan? Lag,
    bool SweepOpen,
    string? SweepCursor,
    DateTimeOffset? LastRunAt,
    DateTimeOffset? LastSuccessAt,
    string? LastError,
    DateTimeOffset? LastErrorAt,
    long RecordsTotal,
    string? HydrationLastError,
    DateTimeOffset? HydrationLastErrorAt,
    DateTimeOffset? PausedUntil = null,
    string? LastRunBy = null)
{
    /// <summary>
    /// What went wrong last, for one column: a pause of the source's API still running (every process waits it out),
    /// the poll's error and the hydration's, each named; null when none.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string? LastErrors
    {
        get
        {
            string?[] parts =
            [
                PausedUntil is { } until ? $"throttled: calls paused for every process until {until.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}" : null,
                LastError is { } poll ? $"poll: {poll}" : null,
                HydrationLastError is { } fetch ? $"hydration: {fetch}" : null,
            ];
            return parts.Any(p => p is not null) ? string.Join("; ", parts.Where(p => p is not null)) : null;
        }
    }

    /// <summary>Joins the configured sources with the stored watermarks (a stored one no longer configured is still shown).</summary>
    public static IReadOnlyList<SourceStatus> Build(
        IReadOnlyDictionary<string, string> kinds, SourceAdaptersOptions adapters, IReadOnlyList<SourceWatermark> watermarks, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(kinds);
        ArgumentNullException.ThrowIfNull(adapters);
        ArgumentNullException.ThrowIfNull(watermarks);
        var stored = watermarks.ToDictionary(w => w.Source, StringComparer.OrdinalIgnoreCase);
        var names = kinds.Keys.Concat(stored.Keys).Distinct(StringComparer.OrdinalIgnoreCase).Order(StringComparer.OrdinalIgnoreCase);
        return names.Select(name =>
        {
            var poll = adapters.GetValueOrDefault(name)?.Poll;
            var w = stored.GetValueOrDefault(name);
            var schedule = poll is { IsEnabled: true } ? poll.Cron ?? $"every {poll.Interval}" : null;
            return new SourceStatus(name, kinds.GetValueOrDefault(name), poll?.Adapter, schedule, w?.Watermark, w?.LagAt(now), w?.SweepOpen ?? false,
                w?.SweepCursor, w?.LastRunAt, w?.LastSuccessAt, w?.LastError, w?.LastErrorAt, w?.RecordsTotal ?? 0,
                w?.HydrationLastError, w?.HydrationLastErrorAt, w?.PausedUntil is { } paused && paused > now ? paused : null, w?.LastRunBy);
        }).ToList();
    }
}
