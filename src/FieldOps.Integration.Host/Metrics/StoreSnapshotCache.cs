using FieldOps.Integration.Core.Operations;
using FieldOps.Integration.Core.Outbox;
using FieldOps.Integration.Core.Storage;

namespace FieldOps.Integration.Host.Metrics;

/// <summary>
/// The store queries behind the gauges (backlog, oldest waiting row, dead and blocked rows, tokens, this instance's
/// leases), run at most once per <c>Metrics:StoreRefreshInterval</c> (default 5 s) and one at a time, however many
/// scrapers and exporters read them: a scrape refreshes a stale snapshot before the exporter reads it, an exporter's
/// own collection (OTLP) reads the last one and starts a refresh in the background. A store that does not answer
/// gives <c>fieldops_store_up 0</c> and no store figures, never an error.
/// </summary>
internal sealed class StoreSnapshotCache(IOperationsStore store, IOutboxStore outbox, InstanceIdentity instance, TimeProvider time, TimeSpan refreshInterval) : IDisposable
{
    private readonly SemaphoreSlim _refresh = new(1, 1);
    private volatile StoreSnapshot _current = StoreSnapshot.Empty;
    private long _queries;

    /// <summary>The last snapshot; when stale, a refresh starts in the background (the caller does not wait).</summary>
    public StoreSnapshot Current
    {
        get
        {
            var current = _current;
            if (IsStale(current))
                _ = RefreshAsync(CancellationToken.None);
            return current;
        }
    }

    /// <summary>How many times the store was queried (the refresh cost a test can bound).</summary>
    public long Queries => Interlocked.Read(ref _queries);

    /// <summary>Refreshes the snapshot unless it is fresh, or another refresh is running (then waits for that one).</summary>
    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        if (!IsStale(_current))
            return;
        await _refresh.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (IsStale(_current))
                _current = await ReadAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _refresh.Release();
        }
    }

    public void Dispose() => _refresh.Dispose();

    private bool IsStale(StoreSnapshot snapshot) => time.GetUtcNow() - snapshot.ReadAt >= refreshInterval;

    private async Task<StoreSnapshot> ReadAsync(CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _queries);
        var now = time.GetUtcNow();
        try
        {
            var backlog = await store.GetBacklogAsync(cancellationToken).ConfigureAwait(false);
            var held = await store.CountHeldAsync(cancellationToken).ConfigureAwait(false);
            var tokens = await store.ListTokenStatesAsync(cancellationToken).ConfigureAwait(false);
            var leases = await outbox.CountLeasesAsync(instance.Id, now, cancellationToken).ConfigureAwait(false);
            return new StoreSnapshot(true, now, backlog, held, tokens, leases);
        }
        catch (System.Data.Common.DbException)
        {
            return StoreSnapshot.Empty with { ReadAt = now };
        }
    }
}
