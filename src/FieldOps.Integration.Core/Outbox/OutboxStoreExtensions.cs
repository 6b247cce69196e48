namespace FieldOps.Integration.Core.Outbox;

public static class OutboxStoreExtensions
{
    /// <summary>Claims for one connector: <see cref="IOutboxStore.ClaimAsync"/> with one request.</summary>
    public static Task<IReadOnlyList<ClaimedOperation>> ClaimAsync(
        this IOutboxStore store, string connector, int max, IReadOnlyCollection<string> pausedConnections, string owner, DateTimeOffset now,
        TimeSpan lease, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        return store.ClaimAsync([new ClaimRequest(connector, max, pausedConnections)], owner, now, lease, cancellationToken);
    }
}
