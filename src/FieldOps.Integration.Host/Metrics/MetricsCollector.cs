using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace FieldOps.Integration.Host.Metrics;

/// <summary>
/// Listens to every instrument on meters named <c>FieldOps.*</c> of this host (its <see cref="IMeterFactory"/>, or
/// unscoped) and keeps their values: counters summed, gauges as last observed, histograms in buckets. Observable
/// instruments are read at scrape time.
/// </summary>
internal sealed partial class MetricsCollector : IDisposable
{
    private static readonly double[] DefaultBounds = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    private readonly MeterListener _listener = new();
    private readonly IMeterFactory _meters;
    private readonly ConcurrentDictionary<Instrument, Family> _families = new();
    private readonly Lock _scrape = new();

    public MetricsCollector(IMeterFactory meters)
    {
        _meters = meters;
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (!instrument.Meter.Name.StartsWith("FieldOps.", StringComparison.Ordinal))
                return;
            if (instrument.Meter.Scope is not null && !ReferenceEquals(instrument.Meter.Scope, _meters))
                return;
            _families[instrument] = new Family(instrument, Bounds(instrument));
            listener.EnableMeasurementEvents(instrument);
        };
        _listener.MeasurementsCompleted = (instrument, _) => _families.TryRemove(instrument, out Family? _);
        _listener.SetMeasurementEventCallback<long>((i, v, tags, _) => Record(i, v, tags));
        _listener.SetMeasurementEventCallback<int>((i, v, tags, _) => Record(i, v, tags));
        _listener.SetMeasurementEventCallback<short>((i, v, tags, _) => Record(i, v, tags));
        _listener.SetMeasurementEventCallback<byte>((i, v, tags, _) => Record(i, v, tags));
        _listener.SetMeasurementEventCallback<double>((i, v, tags, _) => Record(i, v, tags));
        _listener.SetMeasurementEventCallback<float>((i, v, tags, _) => Record(i, v, tags));
        _listener.SetMeasurementEventCallback<decimal>((i, v, tags, _) => Record(i, (double)v, tags));
        _listener.Start();
    }

    /// <summary>Reads the observable instruments, then writes every family.</summary>
    public void WriteTo(PrometheusText text)
    {
        lock (_scrape)
        {
            foreach (var family in _families.Values.Where(f => f.IsObservable))
                family.Clear();
            _listener.RecordObservableInstruments();
            foreach (var family in _families.Values.OrderBy(f => f.Instrument.Name, StringComparer.Ordinal))
                family.WriteTo(text);
        }
    }

    public void Dispose() => _listener.Dispose();

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (_families.TryGetValue(instrument, out var family))
            family.Record(value, tags);
    }

    private static double[] Bounds(Instrument instrument) =>
        instrument is Histogram<double> { Advice.HistogramBucketBoundaries: { } d } ? [.. d]
        : instrument is Histogram<long> { Advice.HistogramBucketBoundaries: { } l } ? [.. l.Select(b => (double)b)]
        : DefaultBounds;
}
