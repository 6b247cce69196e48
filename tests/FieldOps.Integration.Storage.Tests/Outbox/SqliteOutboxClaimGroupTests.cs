using FieldOps.Integration.Core.Outbox;
using FieldOps.Integration.Storage.Outbox;
using FieldOps.Integration.Storage.Tests.Infrastructure;
using FieldOps.Integration.Testing.Stores;

namespace FieldOps.Integration.Storage.Tests.Outbox;

/// <summary>
/// On SQLite the dispatcher's claims join the write-back group: one writer, one transaction for the write-backs and the
/// claim that arrived together, instead of a turn at the one write lock for each (issue 15).
/// </summary>
public sealed class SqliteOutboxClaimGroupTests
{
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(1);

    [Fact]
    public async Task Claim_QueuedWithWriteBacks_CommitsInTheirTransaction_Sqlite()
    {
        await using var db = await new SqliteTestDatabase().InitializeAsync();
        var turns = ((SqliteConnectionFactory)db.Connections).WriteTurns;
        await using var store = new OutboxStore(db.Connections, TimeProvider.System);
        var rows = await TestRows.AddAsync(db.Connections, Enumerable.Range(0, 6).Select(i => new TestRow($"k{i}", new { i })).ToArray());
        var now = DateTimeOffset.UtcNow.AddSeconds(1);
        Assert.Equal(3, (await store.ClaimAsync("http", 3, [], "w1", now, Lease, CancellationToken.None)).Count);

        // The test holds the lock; the first write-back's group waits for it, the rest queue up meanwhile and join it.
        var holder = await db.Connections.TakeWriteTurnAsync(WritePriority.Normal, CancellationToken.None);
        var before = turns.Totals(WritePriority.Normal).Turns;
        var first = store.UpdateAsync(Delivered(rows[0].Id), "w1", now, CancellationToken.None);
        await WriteTurnsTests.WaitUntilAsync(() => turns.Waiting == 1);
        var more = new[]
        {
            store.UpdateAsync(Delivered(rows[1].Id), "w1", now, CancellationToken.None),
            store.UpdateAsync(Delivered(rows[2].Id), "w1", now, CancellationToken.None),
        };
        var claim = store.ClaimAsync("http", 10, [], "w1", now, Lease, CancellationToken.None);
        holder.Dispose();

        Assert.True(await first.WaitAsync(WriteTurnsTests.Patience));
        var written = await Task.WhenAll(more).WaitAsync(WriteTurnsTests.Patience);
        Assert.All(written, Assert.True);
        var claimed = await claim.WaitAsync(WriteTurnsTests.Patience);
        Assert.Equal(rows.Skip(3).Select(r => r.Id), claimed.Select(c => c.Operation.Id));
        // The three write-backs and the claim in one transaction; a claim of its own took a second turn.
        Assert.Equal(1, turns.Totals(WritePriority.Normal).Turns - before);
    }

    private static OutboxUpdate Delivered(string id) => new() { Id = id, State = OutboxStates.Delivered, Attempts = 1 };
}
