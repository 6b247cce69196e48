using System.Data.Common;
using Dapper;
using FieldOps.Integration.Storage.Tests.Infrastructure;

namespace FieldOps.Integration.Storage.Tests;

/// <summary>
/// The group commit that the dispatcher's writes and the intake's inbox share, under store faults, on SQLite (one kept
/// connection) and PostgreSQL (a pooled connection a group): an item the store refuses fails only its caller, and a store
/// that cannot commit fails the group at once instead of each item being tried alone (each such try could wait out a
/// busy or connect timeout). Each write inserts a key into a table whose CHECK refuses the key "refused".
/// </summary>
public sealed class GroupCommitTests
{
    internal static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    [Fact] public Task OneRefusedItem_FailsOnlyItsCaller_Sqlite() => OneRefusedItem_FailsOnlyItsCaller(new SqliteTestDatabase());

    [PostgresFact] public Task OneRefusedItem_FailsOnlyItsCaller_Postgres() => OneRefusedItem_FailsOnlyItsCaller(new PostgresTestDatabase());

    [Fact] public Task GroupFailsThenTheStoreIsDown_TheRestHearItWithoutTryingEachAlone_Sqlite() =>
        GroupFailsThenTheStoreIsDown_TheRestHearItWithoutTryingEachAlone(new SqliteTestDatabase());

    [PostgresFact] public Task GroupFailsThenTheStoreIsDown_TheRestHearItWithoutTryingEachAlone_Postgres() =>
        GroupFailsThenTheStoreIsDown_TheRestHearItWithoutTryingEachAlone(new PostgresTestDatabase());

    [Fact] public Task StoreDown_AGroupHearsItAtOnce_Sqlite() => StoreDown_AGroupHearsItAtOnce(new SqliteTestDatabase());

    [PostgresFact] public Task StoreDown_AGroupHearsItAtOnce_Postgres() => StoreDown_AGroupHearsItAtOnce(new PostgresTestDatabase());

    [Fact] public Task UnforeseenFault_TheCallerHearsItsFailure_AndTheWriterGoesOn_Sqlite() =>
        UnforeseenFault_TheCallerHearsItsFailure_AndTheWriterGoesOn(new SqliteTestDatabase());

    [PostgresFact] public Task UnforeseenFault_TheCallerHearsItsFailure_AndTheWriterGoesOn_Postgres() =>
        UnforeseenFault_TheCallerHearsItsFailure_AndTheWriterGoesOn(new PostgresTestDatabase());

    [Fact] public Task ConnectionThatThrowsOnClose_NeitherFailsACommittedWriteNorStopsTheWriter_Sqlite() =>
        ConnectionThatThrowsOnClose_NeitherFailsACommittedWriteNorStopsTheWriter(new SqliteTestDatabase());

    [PostgresFact] public Task ConnectionThatThrowsOnClose_NeitherFailsACommittedWriteNorStopsTheWriter_Postgres() =>
        ConnectionThatThrowsOnClose_NeitherFailsACommittedWriteNorStopsTheWriter(new PostgresTestDatabase());

    /// <summary>
    /// The first close of a connection throws: on PostgreSQL that is the pooled connection given back after the first
    /// write's commit, which is answered committed (before, the caller heard the close's exception for a committed write,
    /// and the inbox would have answered a stored webhook 503); on SQLite it is the kept connection closed after the
    /// refused write. Either way the writer goes on, and the last write is committed.
    /// </summary>
    private static async Task ConnectionThatThrowsOnClose_NeitherFailsACommittedWriteNorStopsTheWriter(TestDatabase database)
    {
        await using var db = await WithProbeTableAsync(database);
        var connections = new FaultyConnections(db.Connections) { FaultOfClose = n => n == 1 ? new IOException("close failed") : null };
        await using var commit = NewGroupCommit(connections);

        Assert.Equal(1, await commit.WriteAsync("one", CancellationToken.None).WaitAsync(Patience));
        await Assert.ThrowsAnyAsync<DbException>(() => commit.WriteAsync("refused", CancellationToken.None).WaitAsync(Patience));
        Assert.Equal(1, await commit.WriteAsync("two", CancellationToken.None).WaitAsync(Patience));
        await commit.DisposeAsync();
        Assert.Equal(["one", "two"], await KeysAsync(db));
        Assert.Equal(connections.Opened, connections.Closed);
    }

    /// <summary>Three writes in one group, one refused: it fails; the two others are committed; every connection closed.</summary>
    private static async Task OneRefusedItem_FailsOnlyItsCaller(TestDatabase database)
    {
        await using var db = await WithProbeTableAsync(database);
        var connections = new FaultyConnections(db.Connections) { Hold = HeldBack.FirstTurn };
        await using var commit = NewGroupCommit(connections);
        var writes = await WriteAsOneGroupAsync(commit, connections, "good-1", "refused", "good-2");

        Assert.Equal(1, await writes[0].WaitAsync(Patience));
        await Assert.ThrowsAnyAsync<DbException>(() => writes[1].WaitAsync(Patience));
        Assert.Equal(1, await writes[2].WaitAsync(Patience));
        Assert.Equal(["good-1", "good-2"], await KeysAsync(db));
        await commit.DisposeAsync();
        Assert.Equal(connections.Opened, connections.Closed);
    }

    /// <summary>
    /// A group refused at its writes whose first item tried alone cannot even open a connection (the store went down):
    /// the rest hear that failure with no other open tried. Before, each item was tried alone: four opens, not two.
    /// </summary>
    private static async Task GroupFailsThenTheStoreIsDown_TheRestHearItWithoutTryingEachAlone(TestDatabase database)
    {
        await using var db = await WithProbeTableAsync(database);
        var connections = new FaultyConnections(db.Connections)
        {
            Hold = HeldBack.FirstTurn, FaultOfOpen = n => n > 1 ? new IOException("disk I/O error") : null,
        };
        await using var commit = NewGroupCommit(connections);
        var writes = await WriteAsOneGroupAsync(commit, connections, "good-1", "refused", "good-2");

        foreach (var write in writes)
            await Assert.ThrowsAsync<IOException>(() => write.WaitAsync(Patience));
        Assert.Equal(2, connections.OpensTried);
        Assert.Empty(await KeysAsync(db));
        await commit.DisposeAsync();
        Assert.Equal(connections.Opened, connections.Closed);
    }

    /// <summary>
    /// Every open fails: the first write's open is held while two more queue; they then go as one group, which fails
    /// before any write and is answered at once — two opens in all. Before, the two were each tried alone: three.
    /// </summary>
    private static async Task StoreDown_AGroupHearsItAtOnce(TestDatabase database)
    {
        await using var db = await WithProbeTableAsync(database);
        var connections = new FaultyConnections(db.Connections) { Hold = HeldBack.FirstOpen, FaultOfOpen = _ => new IOException("disk I/O error") };
        await using var commit = NewGroupCommit(connections);
        var first = commit.WriteAsync("one", CancellationToken.None);
        await connections.Asked.Task.WaitAsync(Patience);
        var group = new[] { commit.WriteAsync("two", CancellationToken.None), commit.WriteAsync("three", CancellationToken.None) };
        connections.Release.TrySetResult();

        foreach (var write in group.Prepend(first))
            await Assert.ThrowsAsync<IOException>(() => write.WaitAsync(Patience));
        Assert.Equal(2, connections.OpensTried);
    }

    /// <summary>
    /// A fault no one foresaw (no permission on the store's folder) reaches the caller as the writer's owner words it
    /// (the inbox: "unavailable", a 503), and the writer goes on: the next write is committed, at the writer's priority.
    /// </summary>
    private static async Task UnforeseenFault_TheCallerHearsItsFailure_AndTheWriterGoesOn(TestDatabase database)
    {
        await using var db = await WithProbeTableAsync(database);
        var connections = new FaultyConnections(db.Connections)
        {
            FaultOfOpen = n => n == 1 ? new UnauthorizedAccessException("Access to the path '/var/lib/fieldops' is denied.") : null,
        };
        await using var commit = new GroupCommit<string, int>(connections, 64, InsertAsync,
            priority: WritePriority.Intake, failure: ex => new InvalidOperationException("unavailable", ex));

        var failed = await Assert.ThrowsAsync<InvalidOperationException>(() => commit.WriteAsync("first", CancellationToken.None).WaitAsync(Patience));
        Assert.IsType<UnauthorizedAccessException>(failed.InnerException);
        Assert.Equal(1, await commit.WriteAsync("second", CancellationToken.None).WaitAsync(Patience));
        Assert.Equal(["second"], await KeysAsync(db));
        Assert.Equal([WritePriority.Intake], connections.Priorities);
    }

    internal static GroupCommit<string, int> NewGroupCommit(IStoreConnections connections) => new(connections, 64, InsertAsync);

    private static Task<int> InsertAsync(DbConnection connection, DbTransaction transaction, string key) =>
        connection.ExecuteAsync("INSERT INTO group_commit_probe (k) VALUES (@key)", new { key }, transaction);

    /// <summary>The first write waits at its write turn while the others queue; released, all go in one transaction.</summary>
    internal static async Task<Task<int>[]> WriteAsOneGroupAsync(GroupCommit<string, int> commit, FaultyConnections connections, params string[] keys)
    {
        var first = commit.WriteAsync(keys[0], CancellationToken.None);
        await connections.Asked.Task.WaitAsync(Patience);
        var writes = keys.Skip(1).Select(k => commit.WriteAsync(k, CancellationToken.None)).Prepend(first).ToArray();
        connections.Release.TrySetResult();
        return writes;
    }

    internal static async Task<TestDatabase> WithProbeTableAsync(TestDatabase database)
    {
        await database.InitializeAsync();
        await using var connection = await database.Connections.OpenAsync(CancellationToken.None);
        await connection.ExecuteAsync("CREATE TABLE group_commit_probe (k VARCHAR(40) PRIMARY KEY CHECK (k <> 'refused'))");
        return database;
    }

    internal static async Task<string[]> KeysAsync(TestDatabase db)
    {
        await using var connection = await db.Connections.OpenAsync(CancellationToken.None);
        return (await connection.QueryAsync<string>("SELECT k FROM group_commit_probe ORDER BY k")).ToArray();
    }
}
