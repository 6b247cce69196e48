using System.Collections.Concurrent;

namespace FieldOps.Integration.Storage.Tests;

/// <summary>The writers of one SQLite file take turns at its write lock, the intake's commits first (issue 15).</summary>
public sealed class WriteTurnsTests
{
    internal static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Release_AnIntakeCommitWaiting_GoesBeforeWritersThatAskedEarlier()
    {
        var turns = NewTurns();
        var first = await turns.TakeAsync(WritePriority.Normal, Patience, CancellationToken.None);
        var router = turns.TakeAsync(WritePriority.Normal, Patience, CancellationToken.None).AsTask();
        var intake = turns.TakeAsync(WritePriority.Intake, Patience, CancellationToken.None).AsTask();
        Assert.Equal(2, turns.Waiting);

        first.Dispose();
        var intakeTurn = await intake.WaitAsync(Patience);
        Assert.False(router.IsCompleted);
        intakeTurn.Dispose();
        (await router.WaitAsync(Patience)).Dispose();
        Assert.Equal(0, turns.Waiting);
        // What /metrics exports: turns by priority and their waits (the router waited for two holders, the intake for one).
        Assert.Equal(1, turns.Totals(WritePriority.Intake).Turns);
        Assert.Equal(2, turns.Totals(WritePriority.Normal).Turns);
        Assert.True(turns.Totals(WritePriority.Normal).Waited >= turns.Totals(WritePriority.Intake).Waited);
        Assert.True(turns.Totals(WritePriority.Intake).Waited > TimeSpan.Zero);
    }

    [Fact]
    public async Task Totals_Held_CountsEachTurnOnceFromItsHandOverUnderItsPriority()
    {
        var turns = NewTurns();
        var first = await turns.TakeAsync(WritePriority.Normal, Patience, CancellationToken.None);
        var intake = turns.TakeAsync(WritePriority.Intake, Patience, CancellationToken.None).AsTask();
        await Task.Delay(40);
        first.Dispose();
        var second = await intake.WaitAsync(Patience);
        await Task.Delay(40);
        second.Dispose();
        second.Dispose(); // a second Dispose counts nothing more

        // What /metrics exports as fieldops_store_write_held_seconds_total: each holder's time, under its priority.
        var normal = turns.Totals(WritePriority.Normal).Held;
        var fromIntake = turns.Totals(WritePriority.Intake).Held;
        Assert.InRange(normal, TimeSpan.FromMilliseconds(35), Patience);
        Assert.InRange(fromIntake, TimeSpan.FromMilliseconds(35), Patience);
        Assert.Equal(fromIntake, turns.Totals(WritePriority.Intake).Held);
    }

    [Fact]
    public async Task Release_WritersOfTheSamePriority_TakeTheirTurnsInTheOrderTheyAsked()
    {
        var turns = NewTurns();
        var holder = await turns.TakeAsync(WritePriority.Normal, Patience, CancellationToken.None);
        var order = new ConcurrentQueue<int>();
        var waiters = new List<Task>();
        for (var i = 0; i < 5; i++)
        {
            waiters.Add(TakeAndRecordAsync(turns, i, order));
            var queued = i + 1;
            await WaitUntilAsync(() => turns.Waiting == queued);
        }
        holder.Dispose();
        await Task.WhenAll(waiters).WaitAsync(Patience);
        Assert.Equal([0, 1, 2, 3, 4], order);
    }

    [Fact]
    public async Task Take_WaitedItsPatience_GoesAheadWithATurnThatHoldsNothing()
    {
        var turns = NewTurns();
        var holder = await turns.TakeAsync(WritePriority.Normal, Patience, CancellationToken.None);
        var impatient = await turns.TakeAsync(WritePriority.Normal, TimeSpan.FromMilliseconds(20), CancellationToken.None).AsTask().WaitAsync(Patience);
        Assert.Same(WriteTurn.None, impatient);
        Assert.Equal(0, turns.Waiting);

        // Disposing the empty turn passes nothing on: the holder still has the turn.
        impatient.Dispose();
        var next = turns.TakeAsync(WritePriority.Normal, Patience, CancellationToken.None).AsTask();
        await Task.Delay(50);
        Assert.False(next.IsCompleted);
        holder.Dispose();
        (await next.WaitAsync(Patience)).Dispose();
    }

    [Fact]
    public async Task Take_Cancelled_LeavesTheQueueAndTheTurnPassesToTheNext()
    {
        var turns = NewTurns();
        var holder = await turns.TakeAsync(WritePriority.Normal, Patience, CancellationToken.None);
        using var cancel = new CancellationTokenSource();
        var cancelled = turns.TakeAsync(WritePriority.Intake, Patience, cancel.Token).AsTask();
        var next = turns.TakeAsync(WritePriority.Normal, Patience, CancellationToken.None).AsTask();
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled.WaitAsync(Patience));
        Assert.Equal(1, turns.Waiting);
        holder.Dispose();
        (await next.WaitAsync(Patience)).Dispose();
        Assert.Equal(0, turns.Waiting);
        (await turns.TakeAsync(WritePriority.Normal, TimeSpan.Zero, CancellationToken.None)).Dispose();
    }

    [Fact]
    public async Task Take_WaitThatCannotStart_LeavesNoWaiterBehindToSwallowTheTurn()
    {
        var turns = NewTurns();
        var holder = await turns.TakeAsync(WritePriority.Normal, Patience, CancellationToken.None);
        // Longer than a timer can wait: the wait fails as it starts.
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => turns.TakeAsync(WritePriority.Normal, TimeSpan.FromDays(100), CancellationToken.None).AsTask());
        Assert.Equal(0, turns.Waiting);
        holder.Dispose();
        (await turns.TakeAsync(WritePriority.Normal, TimeSpan.Zero, CancellationToken.None).AsTask().WaitAsync(Patience)).Dispose();
        Assert.False(turns.Taken);
    }

    [Fact]
    public async Task Dispose_Twice_PassesTheTurnOnOnce()
    {
        var turns = NewTurns();
        var holder = await turns.TakeAsync(WritePriority.Normal, Patience, CancellationToken.None);
        var second = turns.TakeAsync(WritePriority.Normal, Patience, CancellationToken.None).AsTask();
        var third = turns.TakeAsync(WritePriority.Normal, Patience, CancellationToken.None).AsTask();
        holder.Dispose();
        holder.Dispose();
        var secondTurn = await second.WaitAsync(Patience);
        await Task.Delay(50);
        Assert.False(third.IsCompleted);
        secondTurn.Dispose();
        (await third.WaitAsync(Patience)).Dispose();
    }

    private static WriteTurns NewTurns() => WriteTurns.For("test-" + Guid.NewGuid().ToString("N"));

    private static async Task TakeAndRecordAsync(WriteTurns turns, int i, ConcurrentQueue<int> order)
    {
        using var turn = await turns.TakeAsync(WritePriority.Normal, Patience, CancellationToken.None);
        order.Enqueue(i);
    }


    /// <summary>Polls until the writers have queued up (they queue from other threads).</summary>
    internal static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException("The writers did not queue up in time.");
            await Task.Delay(5);
        }
    }
}
