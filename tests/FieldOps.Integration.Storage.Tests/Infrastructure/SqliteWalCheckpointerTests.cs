using Dapper;
using FieldOps.Integration.Testing.Stores;
using Microsoft.Extensions.Logging.Abstractions;

namespace FieldOps.Integration.Storage.Tests.Infrastructure;

public sealed class SqliteWalCheckpointerTests
{
    [Fact]
    public async Task Checkpointer_Running_LetsTheNextWritesRestartTheWalInsteadOfGrowingIt()
    {
        using var store = new TestStore();
        var options = new StoreOptions { ConnectionString = store.ConnectionString, WalCheckpointInterval = TimeSpan.FromMilliseconds(20) };
        var wal = Path.Combine(store.Directory, "fieldops.db-wal");
        // Held open (idle, no transaction) for the whole test: when the last connection to the file closes, SQLite
        // checkpoints and deletes the WAL, and another test's dispose clears every pool of the process (in CI the WAL was
        // gone when the test measured it).
        await using var keepOpen = await store.Connections.OpenAsync(CancellationToken.None);
        await using (var connection = await store.Connections.OpenAsync(CancellationToken.None))
            await connection.ExecuteAsync("CREATE TABLE filler (id INTEGER PRIMARY KEY, text TEXT NOT NULL)");
        // Few enough pages that SQLite's own automatic checkpoint (1,000 pages) never runs.
        await WriteAsync(store, 150);
        var before = new FileInfo(wal).Length;

        using var checkpointer = new SqliteWalCheckpointer(store.Connections, options, NullLogger<SqliteWalCheckpointer>.Instance);
        await checkpointer.StartAsync(CancellationToken.None);
        for (var i = 0; i < 200 && checkpointer.Passes < 2; i++)
            await Task.Delay(50);
        await checkpointer.StopAsync(CancellationToken.None);
        await WriteAsync(store, 150);

        Assert.True(checkpointer.Passes >= 2, $"{checkpointer.Passes} checkpoints in 10 s");
        Assert.Equal(0, checkpointer.Last!.busy);
        Assert.Equal(checkpointer.Last.log, checkpointer.Last.checkpointed);
        // Restarted from its start: the same writes again fit in the file's old length (without a checkpoint it doubles).
        Assert.True(new FileInfo(wal).Length <= before, $"WAL {new FileInfo(wal).Length} bytes after the second writes, {before} before");
    }

    private static async Task WriteAsync(TestStore store, int transactions)
    {
        for (var i = 0; i < transactions; i++)
        {
            await using var connection = await store.Connections.OpenAsync(CancellationToken.None);
            await connection.ExecuteAsync("INSERT INTO filler (text) VALUES (@text)", new { text = new string('x', 1500) });
        }
    }
}
