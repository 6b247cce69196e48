using Dapper;
using FieldOps.Integration.Storage.Tests.Infrastructure;
using Npgsql;

namespace FieldOps.Integration.Storage.Tests.Regressions;

/// <summary>
/// A PostgreSQL restart, or an administrator ending the sessions, reaches the client as 57P01 (admin_shutdown): a
/// <see cref="PostgresException"/> with no inner exception, which the group commit took for the item's fault, so it tried
/// the group's items one by one against a store that had just dropped them (on a restart each try meets another dead
/// pooled connection, or the server still starting). Here every session of the test database is terminated from an
/// admin connection right after the writer opens its connection; the server itself stays up, so the group tried once
/// more on a new connection commits, and the writer's next group shows that it goes on and that Npgsql dropped the
/// broken pooled connection (the pool held one idle beside the writer's).
/// </summary>
public sealed class GroupCommitTerminatedSessionTests
{
    [PostgresFact]
    public async Task GroupsSessionTerminated_TheGroupIsTriedOnceMoreOnANewConnection_AndCommits()
    {
        await using var db = await GroupCommitTests.WithProbeTableAsync(new PostgresTestDatabase());
        await FillPoolAsync(db);
        var connections = new FaultyConnections(db.Connections)
        {
            Hold = HeldBack.FirstTurn, AfterOpen = n => n == 1 ? TerminateSessionsAsync(db) : Task.CompletedTask,
        };
        await using var commit = GroupCommitTests.NewGroupCommit(connections);
        var writes = await GroupCommitTests.WriteAsOneGroupAsync(commit, connections, "one", "two", "three");

        foreach (var write in writes)
            Assert.Equal(1, await write.WaitAsync(GroupCommitTests.Patience));
        Assert.Equal(2, connections.OpensTried);
        Assert.Equal(["one", "three", "two"], await GroupCommitTests.KeysAsync(db));
    }

    [PostgresFact]
    public async Task GroupsSessionTerminatedTwice_TheGroupHearsItAtOnce_AndTheNextGroupCommits()
    {
        await using var db = await GroupCommitTests.WithProbeTableAsync(new PostgresTestDatabase());
        await FillPoolAsync(db);
        var connections = new FaultyConnections(db.Connections)
        {
            Hold = HeldBack.FirstTurn, AfterOpen = n => n <= 2 ? TerminateSessionsAsync(db, n == 1 ? 2 : 1) : Task.CompletedTask,
        };
        await using var commit = GroupCommitTests.NewGroupCommit(connections);
        var writes = await GroupCommitTests.WriteAsOneGroupAsync(commit, connections, "one", "two", "three");

        foreach (var write in writes)
            Assert.Equal("57P01", (await Assert.ThrowsAsync<PostgresException>(() => write.WaitAsync(GroupCommitTests.Patience))).SqlState);
        Assert.Equal(2, connections.OpensTried);
        Assert.Equal(1, await commit.WriteAsync("four", CancellationToken.None).WaitAsync(GroupCommitTests.Patience));
        Assert.Equal(3, connections.OpensTried);
        Assert.Equal(["four"], await GroupCommitTests.KeysAsync(db));
    }

    /// <summary>
    /// A session that ends at the group's COMMIT (here a deferred trigger ends its own backend) may have committed: the
    /// group is not written again — a write-back run twice could overwrite the lease of its row's next claim — and every
    /// caller hears the fault after one open.
    /// </summary>
    [PostgresFact]
    public async Task GroupsSessionEndsAtCommit_TheGroupIsNotWrittenAgain()
    {
        await using var db = await GroupCommitTests.WithProbeTableAsync(new PostgresTestDatabase());
        await using (var setup = await db.Connections.OpenAsync(CancellationToken.None))
        {
            await setup.ExecuteAsync(
                "CREATE FUNCTION end_own_session() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN " +
                "IF NEW.k = 'ends-at-commit' THEN PERFORM pg_terminate_backend(pg_backend_pid()); END IF; RETURN NEW; END $$");
            await setup.ExecuteAsync(
                "CREATE CONSTRAINT TRIGGER ends_at_commit AFTER INSERT ON group_commit_probe DEFERRABLE INITIALLY DEFERRED " +
                "FOR EACH ROW EXECUTE FUNCTION end_own_session()");
        }
        var connections = new FaultyConnections(db.Connections) { Hold = HeldBack.FirstTurn };
        await using var commit = GroupCommitTests.NewGroupCommit(connections);
        var writes = await GroupCommitTests.WriteAsOneGroupAsync(commit, connections, "one", "ends-at-commit", "three");

        foreach (var write in writes)
            Assert.Equal("57P01", (await Assert.ThrowsAsync<PostgresException>(() => write.WaitAsync(GroupCommitTests.Patience))).SqlState);
        Assert.Equal(1, connections.OpensTried);
    }

    [PostgresFact]
    public async Task AloneTrysSessionTerminated_TheRestHearItAtOnce_AndTheNextGroupCommits()
    {
        await using var db = await GroupCommitTests.WithProbeTableAsync(new PostgresTestDatabase());
        await FillPoolAsync(db);
        var connections = new FaultyConnections(db.Connections)
        {
            Hold = HeldBack.FirstTurn, AfterOpen = n => n == 2 ? TerminateSessionsAsync(db) : Task.CompletedTask,
        };
        await using var commit = GroupCommitTests.NewGroupCommit(connections);
        // The group fails at its writes (the CHECK refuses "refused"); its first item tried alone loses its session.
        var writes = await GroupCommitTests.WriteAsOneGroupAsync(commit, connections, "good-1", "refused", "good-2");

        foreach (var write in writes)
            Assert.Equal("57P01", (await Assert.ThrowsAsync<PostgresException>(() => write.WaitAsync(GroupCommitTests.Patience))).SqlState);
        Assert.Equal(2, connections.OpensTried);
        Assert.Equal(1, await commit.WriteAsync("good-3", CancellationToken.None).WaitAsync(GroupCommitTests.Patience));
        Assert.Equal(3, connections.OpensTried);
        Assert.Equal(["good-3"], await GroupCommitTests.KeysAsync(db));
    }

    // Two connections in the writer's pool: the writer takes one, the other stays idle and is broken with it.
    private static async Task FillPoolAsync(TestDatabase db)
    {
        await using var first = await db.Connections.OpenAsync(CancellationToken.None);
        await using var second = await db.Connections.OpenAsync(CancellationToken.None);
    }

    // What a restart does to each session (short of restarting the server other tests share): waits until each has ended.
    private static async Task TerminateSessionsAsync(TestDatabase db, int atLeast = 2)
    {
        await using var admin = new NpgsqlConnection(PostgresTestDatabase.AdminConnectionString);
        await admin.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT count(*) FILTER (WHERE pg_terminate_backend(pid, 5000)) FROM pg_stat_activity WHERE datname = @name AND pid <> pg_backend_pid()",
            admin);
        command.Parameters.AddWithValue("name", new NpgsqlConnectionStringBuilder(db.Options.ConnectionString).Database!);
        Assert.True((long)(await command.ExecuteScalarAsync())! >= atLeast, "the writer's session (and at first one idle in its pool)");
    }
}
