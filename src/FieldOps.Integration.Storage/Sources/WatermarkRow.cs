using FieldOps.Integration.Core.Sources;

namespace FieldOps.Integration.Storage.Sources;

/// <summary>A <c>source_watermark</c> row as Dapper reads it.</summary>
internal sealed class WatermarkRow
{
    public const string Columns =
        "source AS Source, watermark AS Watermark, sweep_open AS SweepOpen, sweep_since AS SweepSince, sweep_cursor AS SweepCursor, " +
        "sweep_max AS SweepMax, last_run_at AS LastRunAt, last_run_by AS LastRunBy, last_success_at AS LastSuccessAt, last_error AS LastError, " +
        "last_error_at AS LastErrorAt, records_total AS RecordsTotal, hydration_last_error AS HydrationLastError, " +
        "hydration_last_error_at AS HydrationLastErrorAt, hydration_last_success_at AS HydrationLastSuccessAt, hydration_paused_until AS PausedUntil";

    public string Source { get; set; } = "";
    public long? Watermark { get; set; }
    public long SweepOpen { get; set; }
    public long? SweepSince { get; set; }
    public string? SweepCursor { get; set; }
    public long? SweepMax { get; set; }
    public long? LastRunAt { get; set; }
    public string? LastRunBy { get; set; }
    public long? LastSuccessAt { get; set; }
    public string? LastError { get; set; }
    public long? LastErrorAt { get; set; }
    public long RecordsTotal { get; set; }
    public string? HydrationLastError { get; set; }
    public long? HydrationLastErrorAt { get; set; }
    public long? HydrationLastSuccessAt { get; set; }
    public long? PausedUntil { get; set; }

    public SourceWatermark ToWatermark() => new()
    {
        Source = Source,
        Watermark = Time(Watermark),
        SweepOpen = SweepOpen != 0,
        SweepSince = Time(SweepSince),
        SweepCursor = SweepCursor,
        SweepMax = Time(SweepMax),
        LastRunAt = Time(LastRunAt),
        LastRunBy = LastRunBy,
        LastSuccessAt = Time(LastSuccessAt),
        LastError = LastError,
        LastErrorAt = Time(LastErrorAt),
        RecordsTotal = RecordsTotal,
        HydrationLastError = HydrationLastError,
        HydrationLastErrorAt = Time(HydrationLastErrorAt),
        HydrationLastSuccessAt = Time(HydrationLastSuccessAt),
        PausedUntil = Time(PausedUntil),
    };

    private static DateTimeOffset? Time(long? ms) => ms is { } v ? DateTimeOffset.FromUnixTimeMilliseconds(v) : null;
}
