using FieldOps.Integration.Core.Outbox;
using FieldOps.Integration.Testing.Stores;

namespace FieldOps.Integration.Storage.Tests.Outbox;

/// <summary>The dispatcher's leases: renewed while held, released at shutdown.</summary>
public abstract partial class OutboxStoreContract
{
    protected async Task RenewLeases_HeldLease_OutlastsItsFirstExpiryButALapsedOneIsNotRenewed()
    {
        var rows = await AddRowsAsync(new TestRow("a", new { }), new TestRow("b", new { }));
        var start = Now;
        await _store.ClaimAsync("http", 1, [], "w1", start, TimeSpan.FromSeconds(5), CancellationToken.None);
        await _store.ClaimAsync("http", 1, [], "w2", start, TimeSpan.FromSeconds(1), CancellationToken.None);

        Assert.Equal(1, await _store.RenewLeasesAsync("w1", start.AddSeconds(4), TimeSpan.FromSeconds(5), CancellationToken.None));
        Assert.Equal(0, await _store.RenewLeasesAsync("w2", start.AddSeconds(2), TimeSpan.FromSeconds(5), CancellationToken.None));
        Assert.Equal(1, await _store.CountLeasesAsync("w1", start.AddSeconds(6), CancellationToken.None));
        Assert.Equal(0, await _store.CountLeasesAsync("w2", start.AddSeconds(6), CancellationToken.None));

        // At 6 s w1's first lease (5 s) would have run out; renewed to 9 s it holds, and only w2's lapsed row is taken.
        var later = await _store.ClaimAsync("http", 10, [], "w3", start.AddSeconds(6), Lease, CancellationToken.None);
        Assert.Equal([rows[1].Id], later.Select(c => c.Operation.Id));
    }

    protected async Task RenewLeases_FreshLease_IsNotWrittenUntilItNearsItsEnd()
    {
        var rows = await AddRowsAsync(new TestRow("a", new { }));
        var start = Now;
        await _store.ClaimAsync("http", 1, [], "w1", start, TimeSpan.FromSeconds(30), CancellationToken.None);

        // The dispatcher renews every 10 s of a 30 s lease: a lease 1 s old is left alone, one 6 s old (24 s left, more
        // than two thirds: its next renewal, 10 s later, would leave only 14 s of room for a late tick) is extended.
        Assert.Equal(0, await _store.RenewLeasesAsync("w1", start.AddSeconds(1), TimeSpan.FromSeconds(30), CancellationToken.None));
        Assert.Equal(1, await _store.RenewLeasesAsync("w1", start.AddSeconds(6), TimeSpan.FromSeconds(30), CancellationToken.None));
        Assert.Empty(await _store.ClaimAsync("http", 1, [], "w2", start.AddSeconds(35), Lease, CancellationToken.None));
        Assert.Equal([rows[0].Id], (await _store.ClaimAsync("http", 1, [], "w2", start.AddSeconds(42), Lease, CancellationToken.None))
            .Select(c => c.Operation.Id));
    }

    protected async Task ReleaseAll_AtShutdown_ClearsLeasesSoAnotherWorkerClaimsAtOnce()
    {
        await AddRowsAsync(new TestRow("a", new { }), new TestRow("b", new { }));
        await _store.ClaimAsync("http", 10, [], "stopping", Now, Lease, CancellationToken.None);

        Assert.Equal(2, await _store.ReleaseAllAsync("stopping", CancellationToken.None));

        Assert.Equal(2, (await _store.ClaimAsync("http", 10, [], "w2", Now, Lease, CancellationToken.None)).Count);
    }
}
