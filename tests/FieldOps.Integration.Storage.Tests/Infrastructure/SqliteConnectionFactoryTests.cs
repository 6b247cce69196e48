using Dapper;

namespace FieldOps.Integration.Storage.Tests.Infrastructure;

/// <summary>
/// The factory sets a pooled handle's lasting pragmas once (issue 15) but its durability on every open: it and its
/// <see cref="SqliteConnectionFactory.ForRepeatableWrites"/> twin share one pool, so one handle serves both in turn.
/// </summary>
public sealed class SqliteConnectionFactoryTests : IAsyncDisposable
{
    private readonly SqliteTestDatabase _database = new();

    [Fact]
    public async Task Open_PooledHandleSharedWithTheRelaxedTwin_EachOpenHasItsOwnDurabilityAndEveryPragma()
    {
        var full = new SqliteConnectionFactory(new StoreOptions
        {
            ConnectionString = _database.Options.ConnectionString, SqliteSynchronous = SqliteSynchronous.Full, BusyTimeout = TimeSpan.FromSeconds(7),
        });
        var relaxed = full.ForRepeatableWrites();

        var seen = new List<string>();
        foreach (var (name, factory) in new[] { ("full", (IStoreConnections)full), ("relaxed", relaxed), ("full", full), ("relaxed", relaxed) })
        {
            await using var connection = await factory.OpenAsync(CancellationToken.None);
            var handle = ((Microsoft.Data.Sqlite.SqliteConnection)connection).Handle;
            seen.Add($"{name}: synchronous {await connection.ExecuteScalarAsync<long>("PRAGMA synchronous")}, " +
                $"foreign_keys {await connection.ExecuteScalarAsync<long>("PRAGMA foreign_keys")}, " +
                $"busy_timeout {await connection.ExecuteScalarAsync<long>("PRAGMA busy_timeout")}, " +
                $"journal {await connection.ExecuteScalarAsync<string>("PRAGMA journal_mode")}, handle {handle!.GetHashCode()}");
        }

        Assert.Equal(
            ["full: synchronous 2", "relaxed: synchronous 1", "full: synchronous 2", "relaxed: synchronous 1"],
            seen.Select(s => s[..s.IndexOf(',', StringComparison.Ordinal)]));
        Assert.All(seen, s => Assert.Contains("foreign_keys 1, busy_timeout 7000, journal wal", s, StringComparison.Ordinal));
        // The pool handed the same handle out again: the case the once-only pragmas are for.
        Assert.Single(seen.Select(s => s[s.LastIndexOf(' ')..]).Distinct());
    }

    public async ValueTask DisposeAsync() => await _database.DisposeAsync();
}
