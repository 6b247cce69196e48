namespace FieldOps.Integration.Core.Hydration;

/// <summary>
/// Groups thin events by entity so a burst costs one fetch: a group is due once no event has joined it for the
/// debounce, or when its first event has waited the maximum delay. An entity being fetched is not due again until
/// that fetch ends; events arriving meanwhile wait for a fresh fetch, since the running one may predate them.
/// Not thread-safe: the hydration service's loop owns it.
/// </summary>
internal sealed class HydrationCoalescer(TimeSpan debounce, TimeSpan maxDelay)
{
    private readonly Dictionary<EntityKey, HydrationGroup> _waiting = [];
    private readonly HashSet<EntityKey> _inFlight = [];

    public int WaitingCount => _waiting.Count;

    public void Add(HydrationRequest request, long eventId, string payloadJson, DateTimeOffset now, string? traceParent = null)
    {
        var key = new EntityKey(request.Source, request.EntityType, request.EntityId);
        if (!_waiting.TryGetValue(key, out var group))
            _waiting[key] = group = new HydrationGroup(key, request, now);
        if (group.Events.Exists(e => e.EventId == eventId))
            return;
        group.Events.Add(new PendingEvent(eventId, request.Topic, payloadJson, traceParent));
        group.LastSeen = now;
    }

    /// <summary>Takes the groups due at <paramref name="now"/> whose source is not paused, marking them in flight.</summary>
    public List<HydrationGroup> TakeDue(DateTimeOffset now, Func<string, bool> isPaused)
    {
        var due = new List<HydrationGroup>();
        foreach (var (key, group) in _waiting)
        {
            if (!_inFlight.Contains(key) && !isPaused(key.Source) && now >= group.DueAt(debounce, maxDelay))
                due.Add(group);
        }
        foreach (var group in due)
        {
            _waiting.Remove(group.Key);
            _inFlight.Add(group.Key);
        }
        return due;
    }

    /// <summary>The fetch for <paramref name="group"/> ended.</summary>
    public void Complete(HydrationGroup group) => _inFlight.Remove(group.Key);

    /// <summary>The fetch failed: the group waits until <paramref name="retryAt"/>, with any events that arrived meanwhile.</summary>
    public void Retry(HydrationGroup group, DateTimeOffset retryAt)
    {
        _inFlight.Remove(group.Key);
        if (_waiting.TryGetValue(group.Key, out var newer))
        {
            group.Events.AddRange(newer.Events);
            group.LastSeen = newer.LastSeen;
        }
        group.RetryAt = retryAt;
        _waiting[group.Key] = group;
    }

    internal readonly record struct EntityKey(string Source, string EntityType, string EntityId);

    internal readonly record struct PendingEvent(long EventId, string Topic, string PayloadJson, string? TraceParent = null);

    internal sealed class HydrationGroup(EntityKey key, HydrationRequest request, DateTimeOffset firstSeen)
    {
        public EntityKey Key { get; } = key;

        public HydrationRequest Request { get; } = request;

        public List<PendingEvent> Events { get; } = [];

        public DateTimeOffset FirstSeen { get; } = firstSeen;

        public DateTimeOffset LastSeen { get; set; } = firstSeen;

        public DateTimeOffset? RetryAt { get; set; }

        public int Attempts { get; set; }

        public DateTimeOffset DueAt(TimeSpan debounce, TimeSpan maxDelay)
        {
            if (RetryAt is { } retry)
                return retry;
            var quiet = LastSeen + debounce;
            var cap = FirstSeen + maxDelay;
            return quiet < cap ? quiet : cap;
        }
    }
}
