using System.Diagnostics;
using FieldOps.Integration.Core.Outbox;

namespace FieldOps.Dispatch.Load;

/// <summary>Counts and times every store call the dispatcher makes (one call = one connection, one transaction).</summary>
internal sealed class TimedOutboxStore(IOutboxStore inner) : IOutboxStore
{
    private readonly Dictionary<string, (long Count, long Ticks)> _calls = [];

    public IReadOnlyDictionary<string, (long Count, long Ticks)> Calls
    {
        get
        {
            lock (_calls)
                return new Dictionary<string, (long, long)>(_calls);
        }
    }

    public Task<IReadOnlyList<ClaimedOperation>> ClaimAsync(
        IReadOnlyList<ClaimRequest> requests, string owner, DateTimeOffset now, TimeSpan lease, CancellationToken cancellationToken) =>
        TimeAsync("claim", () => inner.ClaimAsync(requests, owner, now, lease, cancellationToken));

    public Task<bool> MarkInFlightAsync(string id, string owner, int attempts, DateTimeOffset firstAttemptAt, DateTimeOffset now, CancellationToken cancellationToken) =>
        TimeAsync("mark in flight", () => inner.MarkInFlightAsync(id, owner, attempts, firstAttemptAt, now, cancellationToken));

    public Task<bool> UpdateAsync(OutboxUpdate update, string owner, DateTimeOffset now, CancellationToken cancellationToken) =>
        TimeAsync("complete (state + attempt record)", () => inner.UpdateAsync(update, owner, now, cancellationToken));

    public Task<int> RenewLeasesAsync(string owner, DateTimeOffset now, TimeSpan lease, CancellationToken cancellationToken) =>
        inner.RenewLeasesAsync(owner, now, lease, cancellationToken);

    public Task<long> CountLeasesAsync(string owner, DateTimeOffset now, CancellationToken cancellationToken) =>
        inner.CountLeasesAsync(owner, now, cancellationToken);

    public Task<int> ReleaseAllAsync(string owner, CancellationToken cancellationToken) => inner.ReleaseAllAsync(owner, cancellationToken);

    public Task<bool> ReplayAsync(string id, CancellationToken cancellationToken) => inner.ReplayAsync(id, cancellationToken);

    public Task<bool> DiscardAsync(string id, string reason, CancellationToken cancellationToken) => inner.DiscardAsync(id, reason, cancellationToken);

    public Task<OutboxRowStatus?> GetStatusAsync(string id, CancellationToken cancellationToken) => inner.GetStatusAsync(id, cancellationToken);

    public Task<IReadOnlyList<AttemptRecord>> GetAttemptsAsync(string id, CancellationToken cancellationToken) => inner.GetAttemptsAsync(id, cancellationToken);

    private async Task<T> TimeAsync<T>(string name, Func<Task<T>> call)
    {
        var start = Stopwatch.GetTimestamp();
        var result = await call();
        var ticks = Stopwatch.GetTimestamp() - start;
        lock (_calls)
        {
            var (count, total) = _calls.GetValueOrDefault(name);
            _calls[name] = (count + 1, total + ticks);
        }
        return result;
    }
}
