using System.Collections;
using System.Diagnostics;

namespace FieldOps.Integration.Host.Tests.Telemetry;

/// <summary>
/// What the in-memory exporter collects, safe to read while the host's workers still end spans. The pipeline's
/// sources are static, so parallel hosts' spans arrive too: tests select theirs by trace id.
/// </summary>
internal sealed class SpanCollection : ICollection<Activity>
{
    private readonly List<Activity> _spans = [];
    private readonly Lock _gate = new();

    public int Count
    {
        get
        {
            lock (_gate)
                return _spans.Count;
        }
    }

    public bool IsReadOnly => false;

    public IReadOnlyList<Activity> InTrace(ActivityTraceId traceId)
    {
        lock (_gate)
            return _spans.Where(s => s.TraceId == traceId).ToList();
    }

    public IReadOnlyList<Activity> Snapshot()
    {
        lock (_gate)
            return [.. _spans];
    }

    public void Add(Activity item)
    {
        lock (_gate)
            _spans.Add(item);
    }

    public void Clear()
    {
        lock (_gate)
            _spans.Clear();
    }

    public bool Contains(Activity item)
    {
        lock (_gate)
            return _spans.Contains(item);
    }

    public void CopyTo(Activity[] array, int arrayIndex)
    {
        lock (_gate)
            _spans.CopyTo(array, arrayIndex);
    }

    public bool Remove(Activity item)
    {
        lock (_gate)
            return _spans.Remove(item);
    }

    public IEnumerator<Activity> GetEnumerator() => Snapshot().GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
