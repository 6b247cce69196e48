using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace FieldOps.Integration.Host.Metrics;

internal sealed partial class MetricsCollector
{
    /// <summary>One instrument's series, keyed by their sorted labels.</summary>
    private sealed class Family(Instrument instrument, double[] bounds)
    {
        private readonly ConcurrentDictionary<string, Series> _series = new(StringComparer.Ordinal);

        public Instrument Instrument => instrument;

        public bool IsObservable => instrument.IsObservable;

        private bool IsHistogram => instrument.GetType().Name.StartsWith("Histogram", StringComparison.Ordinal);

        /// <summary>Counters add; observable instruments and gauges report their current value.</summary>
        private bool IsSum => !instrument.IsObservable && !instrument.GetType().Name.StartsWith("Gauge", StringComparison.Ordinal);

        public void Clear() => _series.Clear();

        public void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            var labels = new List<KeyValuePair<string, string>>(tags.Length);
            foreach (var (tagKey, tagValue) in tags)
                labels.Add(new(tagKey, Convert.ToString(tagValue, System.Globalization.CultureInfo.InvariantCulture) ?? ""));
            labels.Sort((a, b) => string.CompareOrdinal(a.Key, b.Key));
            var key = string.Join('\u0001', labels.Select(l => l.Key + "\u0002" + l.Value));
            var series = _series.GetOrAdd(key, _ => new Series(labels, bounds.Length));
            lock (series)
            {
                if (IsHistogram)
                {
                    series.Count++;
                    series.Value += value;
                    var bucket = Array.FindIndex(bounds, b => value <= b);
                    if (bucket >= 0)
                        series.Buckets[bucket]++;
                }
                else
                {
                    series.Value = IsSum ? series.Value + value : value;
                }
            }
        }

        public void WriteTo(PrometheusText text)
        {
            var name = PrometheusText.Name(instrument.Name);
            var isCounter = instrument.GetType().Name.Contains("Counter", StringComparison.Ordinal) && !instrument.GetType().Name.Contains("UpDown", StringComparison.Ordinal);
            if (isCounter && !name.EndsWith("_total", StringComparison.Ordinal))
                name += "_total";
            var type = IsHistogram ? "histogram" : isCounter ? "counter" : "gauge";
            if (!text.Family(name, type, instrument.Description))
                return;
            foreach (var series in _series.Values.OrderBy(s => string.Join(',', s.Labels), StringComparer.Ordinal))
            {
                lock (series)
                {
                    if (!IsHistogram)
                    {
                        text.Sample(name, series.Labels, series.Value);
                        continue;
                    }
                    long cumulative = 0;
                    for (var i = 0; i < bounds.Length; i++)
                    {
                        cumulative += series.Buckets[i];
                        text.Sample(name + "_bucket", [.. series.Labels, new("le", PrometheusText.Format(bounds[i]))], cumulative);
                    }
                    text.Sample(name + "_bucket", [.. series.Labels, new("le", "+Inf")], series.Count);
                    text.Sample(name + "_sum", series.Labels, series.Value);
                    text.Sample(name + "_count", series.Labels, series.Count);
                }
            }
        }
    }

    private sealed class Series(List<KeyValuePair<string, string>> labels, int buckets)
    {
        public List<KeyValuePair<string, string>> Labels { get; } = labels;

        public long[] Buckets { get; } = new long[buckets];

        public long Count { get; set; }

        public double Value { get; set; }
    }
}
