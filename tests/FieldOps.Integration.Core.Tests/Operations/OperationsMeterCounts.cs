using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using FieldOps.Integration.Core.Operations;

namespace FieldOps.Integration.Core.Tests.Operations;

/// <summary>
/// Counts what the hub's meter (of one <see cref="IMeterFactory"/>) records: counters by instrument name and tags
/// (<c>name{key=value,…}</c>), histograms by how many values they took (<c>name_count</c>).
/// </summary>
internal static class OperationsMeterCounts
{
    public static MeterListener Listen(IMeterFactory meters, ConcurrentDictionary<string, double> counts)
    {
        var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == OperationsMetrics.MeterName && ReferenceEquals(instrument.Meter.Scope, meters))
                    l.EnableMeasurementEvents(instrument);
            },
        };
        listener.SetMeasurementEventCallback<long>((i, v, tags, _) =>
            counts.AddOrUpdate($"{i.Name}{{{string.Join(',', tags.ToArray().Select(t => $"{t.Key}={t.Value}"))}}}", v, (_, old) => old + v));
        listener.SetMeasurementEventCallback<double>((i, _, _, _) => counts.AddOrUpdate(i.Name + "_count", 1, (_, old) => old + 1));
        listener.Start();
        return listener;
    }
}
