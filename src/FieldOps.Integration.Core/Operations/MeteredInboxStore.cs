using FieldOps.Integration.Core.Inbox;

namespace FieldOps.Integration.Core.Operations;

/// <summary>Counts events committed to the inbox (not duplicates) on their way to the real inbox store.</summary>
internal sealed class MeteredInboxStore(IInboxStore inner, OperationsMetrics metrics) : IInboxStore
{
    public async Task<InboxAppendResult> AppendAsync(NewInboxEvent inboxEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(inboxEvent);
        var result = await inner.AppendAsync(inboxEvent, cancellationToken).ConfigureAwait(false);
        if (!result.IsDuplicate)
            metrics.EventReceived(inboxEvent.Source);
        return result;
    }

    public Task<InboxEvent?> GetAsync(long id, CancellationToken cancellationToken) => inner.GetAsync(id, cancellationToken);

    public Task<IReadOnlyList<InboxEvent>> ListAsync(string state, long afterId, int limit, CancellationToken cancellationToken) =>
        inner.ListAsync(state, afterId, limit, cancellationToken);

    public Task<IReadOnlyList<InboxEvent>> ClaimNewAsync(string owner, int limit, DateTimeOffset now, TimeSpan lease, CancellationToken cancellationToken) =>
        inner.ClaimNewAsync(owner, limit, now, lease, cancellationToken);

    public Task<long> CountAsync(CancellationToken cancellationToken) => inner.CountAsync(cancellationToken);
}
