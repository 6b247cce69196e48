using System.Collections.Concurrent;
using FieldOps.Integration.Core.Outbox;

namespace FieldOps.Integration.Core.Operations;

/// <summary>
/// Counts what the dispatcher writes back (delivered, retried, dead-lettered, attempt latency) on its way to the real
/// store. It remembers each claimed row's connector until its final write-back, since the write-back names only the row.
/// </summary>
internal sealed class MeteredOutboxStore(IOutboxStore inner, OperationsMetrics metrics) : IOutboxStore
{
    private readonly ConcurrentDictionary<string, string> _claimed = new(StringComparer.Ordinal);

    public async Task<IReadOnlyList<ClaimedOperation>> ClaimAsync(
        IReadOnlyList<ClaimRequest> requests, string owner, DateTimeOffset now, TimeSpan lease, CancellationToken cancellationToken)
    {
        var rows = await inner.ClaimAsync(requests, owner, now, lease, cancellationToken).ConfigureAwait(false);
        foreach (var row in rows)
            _claimed[row.Operation.Id] = row.Operation.Connector;
        return rows;
    }

    public async Task<bool> MarkInFlightAsync(string id, string owner, int attempts, DateTimeOffset firstAttemptAt, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var marked = await inner.MarkInFlightAsync(id, owner, attempts, firstAttemptAt, now, cancellationToken).ConfigureAwait(false);
        if (!marked)
            _claimed.TryRemove(id, out _); // another worker's row now: no write-back of ours will come
        return marked;
    }

    public async Task<bool> UpdateAsync(OutboxUpdate update, string owner, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(update);
        // The connector is read before the write: until then the row is ours and in flight, so no other turn can claim
        // it. Once the write commits, a pending row may be claimed, delivered and forgotten before this method goes on.
        var connector = _claimed.GetValueOrDefault(update.Id);
        var written = await inner.UpdateAsync(update, owner, now, cancellationToken).ConfigureAwait(false);
        if (update.State is OutboxStates.Delivered or OutboxStates.Dead)
            _claimed.TryRemove(update.Id, out _);
        if (connector is not null && written)
            metrics.Written(connector, update);
        return written;
    }

    public Task<int> RenewLeasesAsync(string owner, DateTimeOffset now, TimeSpan lease, CancellationToken cancellationToken) =>
        inner.RenewLeasesAsync(owner, now, lease, cancellationToken);

    public Task<long> CountLeasesAsync(string owner, DateTimeOffset now, CancellationToken cancellationToken) =>
        inner.CountLeasesAsync(owner, now, cancellationToken);

    public async Task<int> ReleaseAllAsync(string owner, CancellationToken cancellationToken)
    {
        _claimed.Clear();
        return await inner.ReleaseAllAsync(owner, cancellationToken).ConfigureAwait(false);
    }

    public Task<bool> ReplayAsync(string id, CancellationToken cancellationToken) => inner.ReplayAsync(id, cancellationToken);

    public Task<bool> DiscardAsync(string id, string reason, CancellationToken cancellationToken) => inner.DiscardAsync(id, reason, cancellationToken);

    public Task<OutboxRowStatus?> GetStatusAsync(string id, CancellationToken cancellationToken) => inner.GetStatusAsync(id, cancellationToken);

    public Task<IReadOnlyList<AttemptRecord>> GetAttemptsAsync(string id, CancellationToken cancellationToken) => inner.GetAttemptsAsync(id, cancellationToken);
}
