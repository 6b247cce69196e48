using FieldOps.Integration.Core.Outbox;

namespace FieldOps.Integration.Core.Dispatch;

/// <summary>
/// The dispatcher's claimed calls, one lane per connector. A lane has <c>concurrency</c> call slots (a call of n rows
/// takes n); a claimed call starts when its slots are free and waits in the lane otherwise. The dispatcher claims ahead,
/// up to twice the concurrency in rows held (waiting, in a call, or called and waiting for their write-back), so a slot
/// freed by an answer is filled at once from the lane instead of after the next claim's turn at the store. A lane's
/// slot is given back when the vendor has answered, before the write-back: the write-back waits for the store, not
/// for the vendor. Thread-safe: answers and write-backs report from any thread.
/// </summary>
internal sealed class DeliveryLanes(int concurrency)
{
    private sealed class Lane
    {
        public Queue<IReadOnlyList<ClaimedOperation>> Waiting { get; } = new();

        public int Calling { get; set; }

        public int Held { get; set; }
    }

    private readonly Lock _sync = new();
    private readonly Dictionary<string, Lane> _lanes = new(StringComparer.Ordinal);
    private bool _closed;

    // The most rows a lane holds at once: claimed ahead by one concurrency's worth.
    private int HoldLimit => 2 * concurrency;

    /// <summary>Whether any row is held (its lease must be renewed).</summary>
    public bool AnyHeld
    {
        get
        {
            lock (_sync)
                return _lanes.Values.Any(l => l.Held > 0);
        }
    }

    /// <summary>How many more rows <paramref name="connector"/> may claim now.</summary>
    public int Room(string connector)
    {
        lock (_sync)
            return _closed ? 0 : HoldLimit - LaneOf(connector).Held;
    }

    /// <summary>Rows in a call of <paramref name="connector"/> now.</summary>
    public int Calling(string connector)
    {
        lock (_sync)
            return LaneOf(connector).Calling;
    }

    /// <summary>Queues claimed calls; returns those to start now (their slots are taken).</summary>
    public List<IReadOnlyList<ClaimedOperation>> Add(string connector, IEnumerable<IReadOnlyList<ClaimedOperation>> calls)
    {
        ArgumentNullException.ThrowIfNull(calls);
        lock (_sync)
        {
            var lane = LaneOf(connector);
            foreach (var call in calls)
            {
                lane.Waiting.Enqueue(call);
                lane.Held += call.Count;
            }
            return TakeStartable(lane);
        }
    }

    /// <summary>A call of <paramref name="rows"/> rows was answered: its slots are free; returns the calls to start now.</summary>
    public List<IReadOnlyList<ClaimedOperation>> Answered(string connector, int rows)
    {
        lock (_sync)
        {
            var lane = LaneOf(connector);
            lane.Calling -= rows;
            return TakeStartable(lane);
        }
    }

    /// <summary>The <paramref name="rows"/> rows of a call (or of a waiting call let go) were written back: no longer held.</summary>
    public void WrittenBack(string connector, int rows)
    {
        lock (_sync)
            LaneOf(connector).Held -= rows;
    }

    /// <summary>
    /// <paramref name="started"/> were not started after all (their connection broke, or the connector's gate let them
    /// not through): their slots are given back, and they — with every call still waiting in the lane when
    /// <paramref name="waitingToo"/> (the connector is paused) — are returned, to go back to the outbox unsent. Each
    /// stays held until <see cref="WrittenBack"/>.
    /// </summary>
    public List<IReadOnlyList<ClaimedOperation>> Unstart(string connector, IReadOnlyList<IReadOnlyList<ClaimedOperation>> started, bool waitingToo)
    {
        ArgumentNullException.ThrowIfNull(started);
        lock (_sync)
        {
            var lane = LaneOf(connector);
            var calls = new List<IReadOnlyList<ClaimedOperation>>(started);
            foreach (var call in started)
                lane.Calling -= call.Count;
            if (waitingToo)
            {
                calls.AddRange(lane.Waiting);
                lane.Waiting.Clear();
            }
            return calls;
        }
    }

    /// <summary>
    /// At shutdown: no call starts any more and nothing more is claimed; the calls still waiting leave the lane unsent,
    /// and their leases are released with the dispatcher's others.
    /// </summary>
    public void Close()
    {
        lock (_sync)
        {
            _closed = true;
            foreach (var lane in _lanes.Values)
            {
                lane.Held -= lane.Waiting.Sum(call => call.Count);
                lane.Waiting.Clear();
            }
        }
    }

    /// <summary>Whether the dispatcher is stopping (<see cref="Close"/>): a call not yet under way is not made.</summary>
    public bool Closed
    {
        get
        {
            lock (_sync)
                return _closed;
        }
    }

    // The waiting calls that fit the free slots, in claim order; a call larger than the lane's slots starts alone.
    private List<IReadOnlyList<ClaimedOperation>> TakeStartable(Lane lane)
    {
        var start = new List<IReadOnlyList<ClaimedOperation>>();
        while (!_closed && lane.Waiting.TryPeek(out var next) && (lane.Calling == 0 || lane.Calling + next.Count <= concurrency))
        {
            lane.Waiting.Dequeue();
            lane.Calling += next.Count;
            start.Add(next);
        }
        return start;
    }

    private Lane LaneOf(string connector)
    {
        if (!_lanes.TryGetValue(connector, out var lane))
            _lanes[connector] = lane = new Lane();
        return lane;
    }
}
