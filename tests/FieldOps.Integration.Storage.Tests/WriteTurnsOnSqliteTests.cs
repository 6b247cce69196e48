using System.Collections.Concurrent;
using System.Data.Common;
using System.Text;
using Dapper;
using FieldOps.Integration.Core.Inbox;
using FieldOps.Integration.Core.Routing;
using FieldOps.Integration.Storage.Inbox;
using FieldOps.Integration.Storage.Outbox;
using FieldOps.Integration.Storage.Tests.Inbox;
using FieldOps.Integration.Storage.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;

namespace FieldOps.Integration.Storage.Tests;

/// <summary>
/// The stores' writers on a real SQLite file: the webhook intake's commit goes right after the transaction holding the
/// lock, and a router group or a write-back group commits what it wrote so far when that commit waits (issue 15).
/// </summary>
public sealed class WriteTurnsOnSqliteTests
{
    private const int Group = 100;
    private static readonly TimeSpan Patience = WriteTurnsTests.Patience;

    /// <summary>
    /// On a real SQLite file: three writers of the router and dispatcher wait while a fourth holds the write lock; a
    /// webhook's inbox commit that asks after them commits before them, so its acknowledgement waits for the one
    /// transaction that held the lock, not for every writer in the process (without turns, all of them raced in
    /// SQLite's busy handler and the intake's commit won as often as it lost).
    /// </summary>
    [Fact]
    public async Task InboxAppend_WritersWaitingAhead_CommitsRightAfterTheTransactionHoldingTheLock_Sqlite()
    {
        await using var db = await new SqliteTestDatabase().InitializeAsync();
        var connections = db.Connections;
        var turns = TurnsOf(db);
        await using var inbox = new InboxStore(connections, db.Options, NullLogger<InboxStore>.Instance);
        var inboxSeen = new ConcurrentDictionary<string, long>(StringComparer.Ordinal);

        var holderTurn = await connections.TakeWriteTurnAsync(WritePriority.Normal, CancellationToken.None);
        await using var holder = await connections.OpenAsync(CancellationToken.None);
        var holding = await holder.BeginTransactionAsync();
        await holder.ExecuteAsync("UPDATE inbox SET state = state WHERE id = -1", transaction: holding);

        var others = Enumerable.Range(0, 3).Select(i => WriteAsync(connections, $"router-{i}", inboxSeen)).ToList();
        await WriteTurnsTests.WaitUntilAsync(() => turns.Waiting == 3);
        var append = inbox.AppendAsync(new NewInboxEvent(
            "test", "intake-1", DateTimeOffset.UtcNow, "application/json",
            new Dictionary<string, string> { ["Content-Type"] = "application/json" }, Encoding.UTF8.GetBytes("{}")), CancellationToken.None);
        await WriteTurnsTests.WaitUntilAsync(() => turns.Waiting == 4);

        await holding.CommitAsync();
        await holding.DisposeAsync();
        holderTurn.Dispose();
        await Task.WhenAll(others.Append(append)).WaitAsync(Patience);

        Assert.False((await append).IsDuplicate);
        // Each of the writers that asked first found the webhook's event already committed.
        Assert.Equal(3, inboxSeen.Count);
        Assert.All(inboxSeen, seen => Assert.Equal(1, seen.Value));
    }

    /// <summary>
    /// Webhooks that arrive while the intake's commit waits for the write turn join that commit: one turn and one fsync
    /// for all of them, and their acknowledgements wait for the writer ahead and this commit, not for another turn after
    /// it (issue 15: at a steady 200 webhooks/s nearly every webhook had a turn of its own). Each caller hears its own event.
    /// </summary>
    [Fact]
    public async Task InboxAppend_WebhooksArrivingWhileTheIntakeWaits_JoinItsCommit_Sqlite()
    {
        await using var db = await new SqliteTestDatabase().InitializeAsync();
        var connections = db.Connections;
        var turns = TurnsOf(db);
        await using var inbox = new InboxStore(connections, db.Options, NullLogger<InboxStore>.Instance);
        var holderTurn = await connections.TakeWriteTurnAsync(WritePriority.Normal, CancellationToken.None);
        var before = turns.Totals(WritePriority.Intake).Turns;

        var first = inbox.AppendAsync(InboxStoreContract.Event("first", "{}"), CancellationToken.None);
        await WriteTurnsTests.WaitUntilAsync(() => turns.Waiting == 1);
        var later = Enumerable.Range(0, 3).Select(i => inbox.AppendAsync(InboxStoreContract.Event($"later-{i}", "{}"), CancellationToken.None)).ToList();
        holderTurn.Dispose();
        var all = await Task.WhenAll(later.Prepend(first)).WaitAsync(Patience);

        Assert.All(all, a => Assert.False(a.IsDuplicate));
        string[] keys = ["first", "later-0", "later-1", "later-2"];
        for (var i = 0; i < keys.Length; i++)
            Assert.Equal(keys[i], (await inbox.GetAsync(all[i].EventId, CancellationToken.None))!.DedupKey);
        Assert.Equal(1, turns.Totals(WritePriority.Intake).Turns - before);
    }

    /// <summary>
    /// A router's group of events is one transaction for speed only; when a webhook's commit waits meanwhile, the events
    /// done so far are committed and the intake goes next, so its acknowledgement does not wait for the whole group. The
    /// intake's wait is registered the moment the router takes its turn (a webhook sent then would wait the same way;
    /// sent from the test it would reach its turn only when the thread pool runs it, a race under load).
    /// </summary>
    [Fact]
    public async Task RoutingGroup_AnIntakeCommitWaits_CommitsTheEventsSoFarAndLetsTheIntakeGoFirst_Sqlite()
    {
        await using var db = await new SqliteTestDatabase().InitializeAsync();
        var turns = TurnsOf(db);
        await using var inbox = new InboxStore(db.Connections, db.Options, NullLogger<InboxStore>.Instance);
        await CreateWriteOrderAsync(db.Connections);
        var ids = (await Task.WhenAll(Enumerable.Range(0, Group)
            .Select(i => inbox.AppendAsync(InboxStoreContract.Event($"e{i}", "{}"), CancellationToken.None)))).Select(a => a.EventId).Order().ToList();
        var group = ids.Select(id => new RoutedEvent(id,
            Enumerable.Range(0, 13).Select(o => InboxStoreContract.Row(id, $"op{o}", $"p{id}")).ToList(), null)).ToList();
        var connections = new IntakeArrivesWithTheFirstTurn(db.Connections, turns);

        var results = await new RoutingStore(connections, TimeProvider.System).CommitRoutedBatchAsync(group, CancellationToken.None).WaitAsync(Patience);
        await connections.Webhook!.WaitAsync(Patience);

        Assert.All(results, r => Assert.Equal(InboxEventState.Routed, r.State));
        var order = await ReadWriteOrderAsync(db.Connections);
        Assert.Equal(Group + 1, order.Count);
        // Without the split the webhook's commit comes after all of the group's events.
        Assert.Equal(1, order.IndexOf("webhook"));
    }

    /// <summary>
    /// The dispatcher's write-backs are committed in groups of up to 64; when a webhook's commit waits meanwhile, the
    /// group commits the items written so far and the intake goes next. The intake's wait is registered while the
    /// group's third item is written, so the order does not depend on the thread pool.
    /// </summary>
    [Fact]
    public async Task GroupCommit_AnIntakeCommitWaits_CommitsTheItemsSoFarAndLetsTheIntakeGoFirst_Sqlite()
    {
        await using var db = await new SqliteTestDatabase().InitializeAsync();
        var connections = db.Connections;
        var turns = TurnsOf(db);
        await CreateWriteOrderAsync(connections);
        var written = 0;
        Task? webhook = null;
        await using var group = new GroupCommit<int, int>(connections, 64, async (connection, transaction, item) =>
        {
            await connection.ExecuteAsync("INSERT INTO write_order (what) VALUES ('item')", transaction: transaction);
            if (Interlocked.Increment(ref written) == 3)
                webhook = WebhookCommitAsync(turns, connections);
            return item;
        });

        // The first item is taken while the test holds the lock; the other 63 queue up meanwhile and join its group.
        var results = await WriteWhileTheLockIsHeldAsync(connections, turns, group, 64);
        await webhook!.WaitAsync(Patience);

        Assert.Equal(Enumerable.Range(0, 64), results);
        var order = await ReadWriteOrderAsync(connections);
        Assert.Equal(65, order.Count);
        // Items 0, 1 and 2 of the group, then the webhook; without the split, after all 64 items.
        Assert.Equal(3, order.IndexOf("webhook"));
    }

    /// <summary>
    /// Items queued while a group waits for its write turn (the router's commit holding the lock) join that group: one
    /// commit for all of them instead of the first alone and the rest in a second group behind it (issue 15).
    /// </summary>
    [Fact]
    public async Task GroupCommit_ItemsQueuedWhileTheGroupWaitsForItsTurn_JoinItsTransaction_Sqlite()
    {
        await using var db = await new SqliteTestDatabase().InitializeAsync();
        var connections = db.Connections;
        var turns = TurnsOf(db);
        var transactions = new ConcurrentDictionary<int, DbTransaction>();
        await using var group = new GroupCommit<int, int>(connections, 64, (_, transaction, item) =>
        {
            transactions[item] = transaction;
            return Task.FromResult(item);
        });

        var results = await WriteWhileTheLockIsHeldAsync(connections, turns, group, 10);

        Assert.Equal(Enumerable.Range(0, 10), results);
        Assert.Equal(10, transactions.Count);
        // Without the top-up: item 0's transaction, then a second one for items 1 to 9.
        Assert.Single(transactions.Values.Distinct());
    }

    /// <summary>
    /// Writes items 0 to <paramref name="count"/> − 1 through <paramref name="group"/> while the test holds the write lock:
    /// item 0 first, and once its group waits for its turn, the others; then lets the lock go and returns the results.
    /// </summary>
    private static async Task<int[]> WriteWhileTheLockIsHeldAsync(IStoreConnections connections, WriteTurns turns, GroupCommit<int, int> group, int count)
    {
        var holder = await connections.TakeWriteTurnAsync(WritePriority.Normal, CancellationToken.None);
        var items = new List<Task<int>> { group.WriteAsync(0, CancellationToken.None) };
        await WriteTurnsTests.WaitUntilAsync(() => turns.Waiting == 1);
        items.AddRange(Enumerable.Range(1, count - 1).Select(i => group.WriteAsync(i, CancellationToken.None)));
        holder.Dispose();
        return await Task.WhenAll(items).WaitAsync(Patience);
    }

    private static WriteTurns TurnsOf(TestDatabase db) => ((SqliteConnectionFactory)db.Connections).WriteTurns;

    /// <summary>
    /// A webhook's commit as the intake makes it: waits for its turn with the intake's priority (registered before this
    /// returns), then writes its row.
    /// </summary>
    private static Task WebhookCommitAsync(WriteTurns turns, IStoreConnections connections)
    {
        var turn = turns.TakeAsync(WritePriority.Intake, Patience, CancellationToken.None);
        return CommitAsync();

        async Task CommitAsync()
        {
            using var taken = await turn;
            await using var connection = await connections.OpenAsync(CancellationToken.None);
            await using var transaction = await connection.BeginTransactionAsync();
            await connection.ExecuteAsync("INSERT INTO write_order (what) VALUES ('webhook')", transaction: transaction);
            await transaction.CommitAsync();
        }
    }

    /// <summary>The store's connections, with a webhook's commit arriving the moment the first turn is taken.</summary>
    private sealed class IntakeArrivesWithTheFirstTurn(IStoreConnections inner, WriteTurns turns) : IStoreConnections
    {
        public Task? Webhook { get; private set; }

        public Core.Storage.StoreProvider Provider => inner.Provider;

        public FieldOps.Integration.Storage.Dialects.SqlDialect Dialect => inner.Dialect;

        public Task<DbConnection> OpenAsync(CancellationToken cancellationToken) => inner.OpenAsync(cancellationToken);

        public IStoreConnections ForRepeatableWrites() => this;

        public async ValueTask<WriteTurn> TakeWriteTurnAsync(WritePriority priority, CancellationToken cancellationToken)
        {
            var turn = await inner.TakeWriteTurnAsync(priority, cancellationToken);
            Webhook ??= WebhookCommitAsync(turns, inner);
            return turn;
        }
    }

    /// <summary>A table of the order in which the writes happened, whichever transaction they were in.</summary>
    private static async Task CreateWriteOrderAsync(IStoreConnections connections)
    {
        await using var setup = await connections.OpenAsync(CancellationToken.None);
        await setup.ExecuteAsync("""
            CREATE TABLE write_order (seq INTEGER PRIMARY KEY AUTOINCREMENT, what TEXT NOT NULL);
            CREATE TRIGGER write_order_inbox AFTER INSERT ON inbox WHEN new.dedup_key = 'webhook'
                BEGIN INSERT INTO write_order (what) VALUES ('webhook'); END;
            CREATE TRIGGER write_order_routed AFTER UPDATE OF state ON inbox WHEN new.state = 'routed'
                BEGIN INSERT INTO write_order (what) VALUES ('routed'); END;
            """);
    }

    private static async Task<List<string>> ReadWriteOrderAsync(IStoreConnections connections)
    {
        await using var connection = await connections.OpenAsync(CancellationToken.None);
        return (await connection.QueryAsync<string>("SELECT what FROM write_order ORDER BY seq")).ToList();
    }

    private static async Task WriteAsync(IStoreConnections connections, string name, ConcurrentDictionary<string, long> inboxSeen)
    {
        await using var connection = await connections.OpenAsync(CancellationToken.None);
        using (await connections.TakeWriteTurnAsync(WritePriority.Normal, CancellationToken.None))
        {
            await using DbTransaction transaction = await connection.BeginTransactionAsync();
            inboxSeen[name] = await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM inbox", transaction: transaction);
            await connection.ExecuteAsync("UPDATE inbox SET state = state WHERE id = -1", transaction: transaction);
            await transaction.CommitAsync();
        }
    }
}
