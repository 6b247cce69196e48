using System.Collections.Concurrent;
using System.Diagnostics;

namespace FieldOps.Integration.Storage;

/// <summary>Who goes first when several writers of this process wait for the store's write lock.</summary>
public enum WritePriority
{
    /// <summary>The router, the dispatcher, the pollers, the operator's actions.</summary>
    Normal,

    /// <summary>The webhook intake's commits: a sender waits for its acknowledgement until they are durable.</summary>
    Intake,
}

/// <summary>How many write turns were taken, how long their writers waited for them and held them, in all.</summary>
public readonly record struct WriteTurnTotals(long Turns, TimeSpan Waited, TimeSpan Held);

/// <summary>
/// A writer's turn at the store's write lock, held from before <c>BEGIN</c> until the transaction has ended; disposing
/// it hands the turn to the next writer. A server database has no such lock and hands out turns that hold nothing.
/// </summary>
public sealed class WriteTurn : IDisposable
{
    private WriteTurns? _turns;
    private readonly WritePriority _priority;
    private readonly long _since;

    // since: when the turn became this writer's (a waiter's: when it was handed over, not when its continuation ran).
    internal WriteTurn(WriteTurns? turns, WritePriority priority, long since)
    {
        _turns = turns;
        _priority = priority;
        _since = since;
    }

    /// <summary>
    /// Whether a commit of the intake waits for this turn: a writer of many independent items commits those done and
    /// takes a new turn, so a webhook's acknowledgement does not wait for all of them.
    /// </summary>
    public bool IntakeWaiting => _turns?.IntakeWaiting ?? false;

    /// <summary>A turn that holds nothing: a server database, or a writer that went ahead without its turn.</summary>
    public static WriteTurn None { get; } = new(null, WritePriority.Normal, 0);

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _turns, null) is not { } turns)
            return;
        turns.Held(_priority, _since);
        turns.Release();
    }
}

/// <summary>
/// The writers of one SQLite file in this process take turns here, in the order they asked and the intake's commits
/// first, instead of in SQLite's busy handler. SQLite lets one transaction write at a time; a writer that finds the lock
/// taken sleeps in steps of up to 100 ms and tries again, so under load a waiter slept on while the lock was free, and
/// the intake's commit — what a webhook's acknowledgement waits for — lost those races to the router and dispatcher as
/// often as it won them (issue 15: ack p99 of 100–470 ms at 40–100 jobs/s, with the write lock busy 3.7 s in 5). Here a
/// released turn passes at once to the next waiter, and an intake commit waits for at most the one transaction
/// holding the lock. A waiter that has waited the store's busy timeout goes ahead without its turn, so a turn never
/// deadlocks what SQLite alone would have let through; SQLite's own lock still guards the file against other processes.
/// </summary>
public sealed class WriteTurns
{
    private static readonly ConcurrentDictionary<string, WriteTurns> ByDatabase = new(StringComparer.Ordinal);

    private readonly Lock _sync = new();
    private readonly LinkedList<TaskCompletionSource<long>> _intake = new();
    private readonly LinkedList<TaskCompletionSource<long>> _others = new();
    private bool _taken;
    private readonly long[] _turns = new long[2];
    private readonly long[] _waitedTicks = new long[2];
    private readonly long[] _heldTicks = new long[2];

    /// <summary>The turns of one database (by the full path of its file, or the name of an in-memory database).</summary>
    public static WriteTurns For(string database) => ByDatabase.GetOrAdd(database, _ => new WriteTurns());

    /// <summary>How many writers wait for a turn now.</summary>
    public int Waiting
    {
        get
        {
            lock (_sync)
                return _intake.Count + _others.Count;
        }
    }

    /// <summary>
    /// How many turns writers of this priority took since the process started, how long they waited for them and how long
    /// they held them (from the hand-over to the end of the transaction), in all.
    /// </summary>
    public WriteTurnTotals Totals(WritePriority priority)
    {
        var i = (int)priority;
        return new WriteTurnTotals(Interlocked.Read(ref _turns[i]), Stopwatch.GetElapsedTime(0, Interlocked.Read(ref _waitedTicks[i])),
            Stopwatch.GetElapsedTime(0, Interlocked.Read(ref _heldTicks[i])));
    }

    /// <summary>Whether a writer has the turn now.</summary>
    public bool Taken
    {
        get
        {
            lock (_sync)
                return _taken;
        }
    }

    /// <summary>Whether a commit of the intake waits for the turn.</summary>
    public bool IntakeWaiting
    {
        get
        {
            lock (_sync)
                return _intake.Count > 0;
        }
    }

    /// <summary>Waits for the turn (at most <paramref name="patience"/>, then goes ahead without it).</summary>
    public async ValueTask<WriteTurn> TakeAsync(WritePriority priority, TimeSpan patience, CancellationToken cancellationToken)
    {
        TaskCompletionSource<long> waiter;
        LinkedListNode<TaskCompletionSource<long>> node;
        lock (_sync)
        {
            if (!_taken)
            {
                _taken = true;
                Interlocked.Increment(ref _turns[(int)priority]);
                return new WriteTurn(this, priority, Stopwatch.GetTimestamp());
            }
            waiter = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
            node = (priority == WritePriority.Intake ? _intake : _others).AddLast(waiter);
        }
        var started = Stopwatch.GetTimestamp();
        try
        {
            var handedAt = await waiter.Task.WaitAsync(patience, cancellationToken).ConfigureAwait(false);
            Waited(priority, started);
            return new WriteTurn(this, priority, handedAt);
        }
        catch (Exception ex)
        {
            // Out of patience, cancelled, or anything else: the waiter leaves the queue — unless the turn was handed to
            // it as the wait ended, and then the turn is its own.
            var handed = true;
            lock (_sync)
            {
                if (node.List is { } queue)
                {
                    queue.Remove(node);
                    handed = false;
                }
            }
            if (ex is TimeoutException)
            {
                Waited(priority, started);
                if (!handed)
                    return WriteTurn.None; // SQLite's busy timeout decides, as without turns
                // Handed over as the wait ended: the hand-over time, unless Release has not set it yet.
                return new WriteTurn(this, priority, waiter.Task.IsCompletedSuccessfully ? waiter.Task.Result : Stopwatch.GetTimestamp());
            }
            if (handed)
                Release();
            throw;
        }
    }

    private void Waited(WritePriority priority, long started)
    {
        Interlocked.Increment(ref _turns[(int)priority]);
        Interlocked.Add(ref _waitedTicks[(int)priority], Stopwatch.GetTimestamp() - started);
    }

    internal void Held(WritePriority priority, long since) => Interlocked.Add(ref _heldTicks[(int)priority], Stopwatch.GetTimestamp() - since);

    internal void Release()
    {
        TaskCompletionSource<long>? next = null;
        lock (_sync)
        {
            var queue = _intake.Count > 0 ? _intake : _others;
            if (queue.First is { } first)
            {
                queue.RemoveFirst();
                next = first.Value;
            }
            else
            {
                _taken = false;
            }
        }
        next?.TrySetResult(Stopwatch.GetTimestamp());
    }
}
