using Dapper;
using FieldOps.Integration.Core.Inbox;
using FieldOps.Integration.Storage.Inbox;
using FieldOps.Integration.Storage.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;

namespace FieldOps.Integration.Storage.Tests.Inbox;

/// <summary>The inbox writer under store faults: what a webhook hears when its commit fails, and what its neighbours hear.</summary>
public abstract partial class InboxStoreContract
{
    /// <summary>
    /// A store fault the intake's writer did not foresee (here no permission on the store's folder: an
    /// <see cref="UnauthorizedAccessException"/>, which is not an <see cref="IOException"/>) answers the webhooks it held
    /// as the store being unavailable (a 503 the sender retries) and leaves the writer running: the next webhook is stored.
    /// Before, the writer's loop ended on it and every later webhook waited for ever.
    /// </summary>
    protected async Task Append_UnforeseenStoreFault_AnswersUnavailable_AndTheNextWebhookIsStored()
    {
        await using var db = await NewDatabase().InitializeAsync();
        await using var store = new InboxStore(new FaultyConnections(db.Connections)
        {
            FaultOfOpen = n => n == 1 ? new UnauthorizedAccessException("Access to the path '/var/lib/fieldops' is denied.") : null,
        }, db.Options, NullLogger<InboxStore>.Instance);

        await Assert.ThrowsAsync<InboxUnavailableException>(() =>
            store.AppendAsync(Event("first", "{}"), CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10)));
        var next = await store.AppendAsync(Event("second", "{}"), CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.False(next.IsDuplicate);
        Assert.Equal("second", (await store.GetAsync(next.EventId, CancellationToken.None))!.DedupKey);
    }

    /// <summary>
    /// One event of a group that the store refuses (here a trigger; in production, say, a value a server database cannot
    /// store) fails only its own webhook: the group's commit fails, each of its events is then committed alone, and the
    /// webhooks that merely shared the commit are stored. Before, every webhook of the group was answered 503, and a
    /// sender retrying the refused one could fail its neighbours again and again.
    /// </summary>
    protected async Task Append_OneEventOfAGroupTheStoreRefuses_TheOthersAreStored()
    {
        await using var db = await NewDatabase().InitializeAsync();
        await using (var setup = await db.Connections.OpenAsync(CancellationToken.None))
        {
            foreach (var sql in RefuseInsertOf("refused"))
                await setup.ExecuteAsync(sql);
        }
        // The first webhook waits at its turn while the two others queue, so all three go in one commit.
        var connections = new FaultyConnections(db.Connections) { Hold = HeldBack.FirstTurn };
        await using var store = new InboxStore(connections, db.Options, NullLogger<InboxStore>.Instance);
        var first = store.AppendAsync(Event("good-1", "{}"), CancellationToken.None);
        await connections.Asked.Task.WaitAsync(TimeSpan.FromSeconds(10));
        var refused = store.AppendAsync(Event("refused", "{}"), CancellationToken.None);
        var last = store.AppendAsync(Event("good-2", "{}"), CancellationToken.None);
        connections.Release.TrySetResult();

        await Assert.ThrowsAsync<InboxUnavailableException>(() => refused.WaitAsync(TimeSpan.FromSeconds(10)));
        foreach (var (append, key) in new[] { (first, "good-1"), (last, "good-2") })
        {
            var stored = await append.WaitAsync(TimeSpan.FromSeconds(10));
            Assert.False(stored.IsDuplicate);
            Assert.Equal(key, (await store.GetAsync(stored.EventId, CancellationToken.None))!.DedupKey);
        }
        Assert.Equal(2, await store.CountAsync(CancellationToken.None));
        // Every connection the writer opened is closed, the failed ones included (a leaked one stays out of a server's pool).
        await store.DisposeAsync();
        Assert.Equal(connections.Opened, connections.Closed);
    }

    /// <summary>
    /// A group that fails at its inserts and whose first event then cannot even be opened alone (the store went down):
    /// the rest of the group hears the 503 at once, without another try each.
    /// </summary>
    protected async Task Append_GroupFailsThenTheStoreIsDown_TheRestAnsweredWithoutTryingEachAlone()
    {
        await using var db = await NewDatabase().InitializeAsync();
        await using (var setup = await db.Connections.OpenAsync(CancellationToken.None))
        {
            foreach (var sql in RefuseInsertOf("refused"))
                await setup.ExecuteAsync(sql);
        }
        var connections = new FaultyConnections(db.Connections)
        {
            Hold = HeldBack.FirstTurn, FaultOfOpen = n => n > 1 ? new IOException("disk I/O error") : null,
        };
        await using var store = new InboxStore(connections, db.Options, NullLogger<InboxStore>.Instance);
        var first = store.AppendAsync(Event("good-1", "{}"), CancellationToken.None);
        await connections.Asked.Task.WaitAsync(TimeSpan.FromSeconds(10));
        var others = new List<Task<InboxAppendResult>>
        {
            store.AppendAsync(Event("refused", "{}"), CancellationToken.None),
            store.AppendAsync(Event("good-2", "{}"), CancellationToken.None),
        };
        connections.Release.TrySetResult();

        foreach (var append in others.Prepend(first))
            await Assert.ThrowsAsync<InboxUnavailableException>(() => append.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(2, connections.OpensTried);
    }

    /// <summary>
    /// When the store itself is down (every open fails), a group of webhooks is answered 503 at once: a failure before any
    /// insert is not one event's, so its events are not each tried alone (each such try could wait out the busy timeout
    /// or a server's connect timeout).
    /// </summary>
    protected async Task Append_StoreDown_AGroupIsAnsweredUnavailableWithoutTryingEachAlone()
    {
        await using var db = await NewDatabase().InitializeAsync();
        var connections = new FaultyConnections(db.Connections) { Hold = HeldBack.FirstOpen, FaultOfOpen = _ => new IOException("disk I/O error") };
        await using var store = new InboxStore(connections, db.Options, NullLogger<InboxStore>.Instance);
        // The first webhook's open waits while two more queue; they then go as one group.
        var first = store.AppendAsync(Event("one", "{}"), CancellationToken.None);
        await connections.Asked.Task.WaitAsync(TimeSpan.FromSeconds(10));
        var group = new List<Task<InboxAppendResult>>
        {
            store.AppendAsync(Event("two", "{}"), CancellationToken.None),
            store.AppendAsync(Event("three", "{}"), CancellationToken.None),
        };
        connections.Release.TrySetResult();

        foreach (var append in group.Prepend(first))
            await Assert.ThrowsAsync<InboxUnavailableException>(() => append.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(2, connections.OpensTried);
    }
}
