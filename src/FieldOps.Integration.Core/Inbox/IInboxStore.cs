namespace FieldOps.Integration.Core.Inbox;

/// <summary>The durable inbox: every accepted event is here before its sender hears 2xx.</summary>
public interface IInboxStore
{
    /// <summary>
    /// Commits the event durably, or finds the first one with the same source and dedup key. Completes only after the
    /// commit; throws when the store cannot commit (the caller answers 503).
    /// </summary>
    Task<InboxAppendResult> AppendAsync(NewInboxEvent inboxEvent, CancellationToken cancellationToken);

    /// <summary>One event by id, or null.</summary>
    Task<InboxEvent?> GetAsync(long id, CancellationToken cancellationToken);

    /// <summary>Events in a state, oldest first, after <paramref name="afterId"/>.</summary>
    Task<IReadOnlyList<InboxEvent>> ListAsync(string state, long afterId, int limit, CancellationToken cancellationToken);

    /// <summary>
    /// Leases up to <paramref name="limit"/> new events, oldest first, to <paramref name="owner"/> until
    /// <paramref name="now"/> + <paramref name="lease"/>, for routing: events another owner holds an unexpired lease on
    /// are passed over (the owner's own are taken again), so among several processes each new event is routed by one.
    /// </summary>
    Task<IReadOnlyList<InboxEvent>> ClaimNewAsync(string owner, int limit, DateTimeOffset now, TimeSpan lease, CancellationToken cancellationToken);

    /// <summary>How many events the inbox holds.</summary>
    Task<long> CountAsync(CancellationToken cancellationToken);
}
