namespace FieldOps.Integration.Core.Dispatch;

/// <summary>
/// Which connectors a dispatcher pass asks the store for rows (claim loop only, one pass at a time; deliveries report
/// through <see cref="Finished"/> from any thread). A connector whose last claim found fewer rows than it asked for is
/// drained: it is not asked again until one of its own deliveries finishes (the next row of that partition key may be
/// due), the router says there are new rows, a tenth of the poll interval has passed while it was skipped (another
/// connector's delivery may have released its row on a shared key: a request in Jobber, then the write-back of its id
/// to Salesforce and HubSpot), or a poll interval has passed (retries falling due, other processes' rows, an
/// operator's replay). A clock set back counts as time passed.
/// </summary>
internal sealed class ClaimSchedule(TimeSpan pollInterval)
{
    private readonly TimeSpan _recheck = pollInterval / 10;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, long> _finished = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (long Finished, DateTimeOffset At)> _drained = new(StringComparer.Ordinal);
    private long _newWorkSeen = -1;
    private DateTimeOffset _lastFullPass = DateTimeOffset.MinValue;

    /// <summary>When the earliest connector skipped in this pass is due again; null when none was skipped.</summary>
    public DateTimeOffset? RecheckAt { get; private set; }

    /// <summary>Starts a pass at <paramref name="now"/>; <paramref name="newWork"/> is the router's signal count.</summary>
    public void BeginPass(DateTimeOffset now, long newWork)
    {
        RecheckAt = null;
        if (newWork != _newWorkSeen || now - _lastFullPass >= pollInterval || now < _lastFullPass)
        {
            _newWorkSeen = newWork;
            _lastFullPass = now;
            _drained.Clear();
        }
    }

    /// <summary>Whether to ask for <paramref name="connector"/>'s rows in this pass; <paramref name="finished"/> is its count to hand back to <see cref="Claimed"/>.</summary>
    public bool ShouldAsk(string connector, DateTimeOffset now, out long finished)
    {
        finished = _finished.GetValueOrDefault(connector);
        if (!_drained.TryGetValue(connector, out var drained) || drained.Finished != finished || now < drained.At || now - drained.At >= _recheck)
            return true;
        var due = drained.At + _recheck;
        RecheckAt = RecheckAt is { } at && at < due ? at : due;
        return false;
    }

    /// <summary>The claim for <paramref name="connector"/> asked for <paramref name="asked"/> rows and got <paramref name="got"/>.</summary>
    public void Claimed(string connector, int asked, int got, long finished, DateTimeOffset now)
    {
        if (got < asked)
            _drained[connector] = (finished, now);
        else
            _drained.Remove(connector);
    }

    /// <summary>A call of <paramref name="connector"/> finished (any thread).</summary>
    public void Finished(string connector) => _finished.AddOrUpdate(connector, 1, (_, n) => n + 1);

    /// <summary>A failed pass: no recheck shortens the loop's backoff.</summary>
    public void Failed() => RecheckAt = null;
}
