using FieldOps.Integration.Core.Credentials;
using FieldOps.Integration.Storage.Credentials;
using FieldOps.Integration.Storage.Tests.Infrastructure;

namespace FieldOps.Integration.Storage.Tests.Credentials;

/// <summary>The token store's refresh lease and writes, the same for every provider.</summary>
public abstract class TokenStoreContract : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);
    private TestDatabase _database = null!;
    private TokenStore _store = null!;

    protected abstract TestDatabase NewDatabase();

    public async Task InitializeAsync()
    {
        _database = await NewDatabase().InitializeAsync();
        _store = new TokenStore(_database.Connections);
    }

    public async Task DisposeAsync() => await _database.DisposeAsync();

    protected async Task TryAcquireRefreshLease_TwoOwnersAtOnce_OnlyOneGetsIt()
    {
        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(i =>
            Task.Run(() => _store.TryAcquireRefreshLeaseAsync("quickbooks:default", $"w{i}", Now, TimeSpan.FromSeconds(30), CancellationToken.None))));

        Assert.Single(results, r => r);
    }

    protected async Task TryAcquireRefreshLease_AfterTheLeaseExpired_SucceedsForAnother()
    {
        Assert.True(await _store.TryAcquireRefreshLeaseAsync("c", "w1", Now, TimeSpan.FromSeconds(30), CancellationToken.None));

        Assert.False(await _store.TryAcquireRefreshLeaseAsync("c", "w2", Now.AddSeconds(10), TimeSpan.FromSeconds(30), CancellationToken.None));
        Assert.True(await _store.TryAcquireRefreshLeaseAsync("c", "w2", Now.AddSeconds(31), TimeSpan.FromSeconds(30), CancellationToken.None));
    }

    protected async Task TryAcquireRefreshLease_HeldByAProcessOfThisHostThatDied_IsTakenOverAtOnceByOneOwner()
    {
        // A real process of this host that has exited: its pid names no process now (or another one, started later).
        using var gone = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("sleep", "30") { UseShellExecute = false })!;
        var started = LeaseOwner.StartOf(gone);
        gone.Kill();
        await gone.WaitForExitAsync();
        Assert.True(await _store.TryAcquireRefreshLeaseAsync("c", LeaseOwner.Format(null, gone.Id, started), Now, TimeSpan.FromSeconds(30), CancellationToken.None));

        var results = await Task.WhenAll(Enumerable.Range(0, 6).Select(i =>
            Task.Run(() => _store.TryAcquireRefreshLeaseAsync("c", LeaseOwner.New(), Now.AddSeconds(1), TimeSpan.FromSeconds(30), CancellationToken.None))));

        Assert.Single(results, r => r); // taken over at once, and by one of the live owners only
    }

    protected async Task TryAcquireRefreshLease_HeldByALiveProcessOrAnotherHost_WaitsForTheLeaseToRunOut()
    {
        using var alive = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("sleep", "30") { UseShellExecute = false })!;
        try
        {
            Assert.True(await _store.TryAcquireRefreshLeaseAsync("c", LeaseOwner.Format(null, alive.Id, LeaseOwner.StartOf(alive)), Now, TimeSpan.FromSeconds(30), CancellationToken.None));
            Assert.False(await _store.TryAcquireRefreshLeaseAsync("c", LeaseOwner.New(), Now.AddSeconds(1), TimeSpan.FromSeconds(30), CancellationToken.None));

            // Another host's (or an old-style) owner id with a pid that runs nowhere here: not provably dead.
            Assert.True(await _store.TryAcquireRefreshLeaseAsync("d", $"other-host|{Guid.NewGuid():N}|999999|1|{Guid.NewGuid():N}", Now, TimeSpan.FromSeconds(30), CancellationToken.None));
            Assert.False(await _store.TryAcquireRefreshLeaseAsync("d", LeaseOwner.New(), Now.AddSeconds(1), TimeSpan.FromSeconds(30), CancellationToken.None));
            Assert.True(await _store.TryAcquireRefreshLeaseAsync("e", "old-host:999999:0123abcd", Now, TimeSpan.FromSeconds(30), CancellationToken.None));
            Assert.False(await _store.TryAcquireRefreshLeaseAsync("e", LeaseOwner.New(), Now.AddSeconds(1), TimeSpan.FromSeconds(30), CancellationToken.None));

            // The same pid but another start time: the pid was reused, the owner is dead.
            Assert.True(await _store.TryAcquireRefreshLeaseAsync("f", LeaseOwner.Format(null, alive.Id, LeaseOwner.StartOf(alive) - 60_000), Now, TimeSpan.FromSeconds(30), CancellationToken.None));
            Assert.True(await _store.TryAcquireRefreshLeaseAsync("f", LeaseOwner.New(), Now.AddSeconds(1), TimeSpan.FromSeconds(30), CancellationToken.None));
        }
        finally
        {
            alive.Kill();
            await alive.WaitForExitAsync();
        }
    }

    protected async Task SaveRefreshed_ByTheLeaseHolder_StoresBothTokensAndReleasesTheLease()
    {
        await _store.TryAcquireRefreshLeaseAsync("c", "w1", Now, TimeSpan.FromSeconds(30), CancellationToken.None);

        Assert.False(await _store.SaveRefreshedAsync(Credential("intruder"), "w2", Now, CancellationToken.None));
        Assert.True(await _store.SaveRefreshedAsync(Credential("cipher"), "w1", Now, CancellationToken.None));

        var stored = await _store.GetAsync("c", CancellationToken.None);
        Assert.Equal(("cipher-access", "cipher-refresh"), (stored!.ProtectedAccessToken, stored.ProtectedRefreshToken));
        Assert.Equal(Now.AddHours(1), stored.ExpiresAt);
        Assert.True(await _store.TryAcquireRefreshLeaseAsync("c", "w2", Now, TimeSpan.FromSeconds(30), CancellationToken.None));
    }

    protected async Task MarkBroken_ThenList_NamesTheConnectionUntilARefreshSucceeds()
    {
        await _store.TryAcquireRefreshLeaseAsync("c", "w1", Now, TimeSpan.FromSeconds(30), CancellationToken.None);
        await _store.MarkBrokenAsync("c", "w1", "invalid_grant", "refused-cipher", Now, CancellationToken.None);

        Assert.Equal("invalid_grant", (await _store.ListBrokenAsync(CancellationToken.None))["c"]);
        Assert.Equal("refused-cipher", (await _store.GetAsync("c", CancellationToken.None))!.ProtectedRefreshToken);

        await _store.TryAcquireRefreshLeaseAsync("c", "w1", Now, TimeSpan.FromSeconds(30), CancellationToken.None);
        await _store.SaveRefreshedAsync(Credential("new"), "w1", Now, CancellationToken.None);
        Assert.Empty(await _store.ListBrokenAsync(CancellationToken.None));
    }

    private static StoredCredential Credential(string prefix) =>
        new("c", $"{prefix}-access", $"{prefix}-refresh", $"{prefix}-props", Now, Now.AddHours(1), null);
}
