using System.Data.Common;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace FieldOps.Integration.Storage;

/// <summary>
/// Group commit for small writes that arrive concurrently: callers queue their item, one writer applies every item
/// waiting (up to <c>maxBatch</c>) in a single transaction, and each caller hears back only after that commit — so a
/// caller's write is exactly as durable as if it had its own transaction, while one commit (one fsync) serves many.
/// Items queued while a group waits for its write turn join that group. The webhook intake's inbox and the dispatcher's
/// writes use it, each with its write priority.
/// <para>
/// Failures: if the shared transaction fails after reaching its writes, each item of it is tried again alone, so one
/// bad item fails only its caller. A failure before any write (opening a connection, the write turn, <c>BEGIN</c>) is
/// the store's, not an item's: the whole group hears it at once. A group that fails at its writes with a store fault
/// (<see cref="Dialects.SqlDialect.IsStoreFault"/>: a timeout, a lost connection, the server ending the session —
/// PostgreSQL sends <c>BEGIN</c> with the first statement, so a dead server or a terminated backend shows only there;
/// SQLite's driver reports none) before its <c>COMMIT</c> and not by a timeout is tried once more whole, on a new
/// connection: a server restarted or a session ended by an administrator leaves the store working, and the driver has
/// dropped the broken connection. If that try fails too, or the fault is a timeout or comes at the <c>COMMIT</c> (which
/// may have landed), or the rest of a group whose item tried alone meets a store fault, every caller hears it at once —
/// rather than each item trying a dead store or waiting out the same timeout. A fault of the item's own transaction (a
/// deadlock, a constraint) fails only that item. Whatever a commit or a connection's close throws, the writer answers
/// its callers and goes on: ended, it would leave every later caller waiting for ever.
/// </para>
/// On SQLite the writer keeps one connection from group to group (SQLite keeps its page cache while no other
/// connection writes) and opens a new one after a failure. Given a group writer, a group is written by it in one call
/// (one batch of statements on a server database) and only an item tried alone by the one-item writer.
/// </summary>
/// <typeparam name="TItem">What a caller writes.</typeparam>
/// <typeparam name="TResult">What the write returns to its caller.</typeparam>
public sealed class GroupCommit<TItem, TResult> : IAsyncDisposable
{
    private readonly IStoreConnections _connections;
    private readonly Func<DbConnection, DbTransaction, TItem, Task<TResult>> _write;
    private readonly Func<DbConnection, DbTransaction, IReadOnlyList<TItem>, Task<IReadOnlyList<TResult>>>? _writeGroup;
    private readonly int _maxBatch;
    private readonly WritePriority _priority;
    private readonly Func<Exception, Exception> _failure;
    private readonly ILogger? _logger;
    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new() { SingleReader = true });
    private readonly Task _writer;
    // SQLite: the writer's own connection, kept between groups (its page cache stays warm while no other connection
    // writes), reopened after a failure. A server database's connection comes from its pool for each group, so one broken
    // connection is not kept (the pool may still hand out an idle one a server restart broke: Npgsql then clears its
    // pool, and the group is tried once more on a new connection).
    private readonly bool _keepConnection;
    private DbConnection? _connection;
    // Whether the last commit reached its writes (past BEGIN): a failure before them is the store's, not an item's.
    private bool _reachedWrites;

    // Set once the group's COMMIT is sent: a connection lost then may have committed, so the group is not written again
    // (a write-back run twice could overwrite the lease of the row's next claim).
    private bool _reachedCommit;

    /// <param name="connections">Where the writer writes.</param>
    /// <param name="maxBatch">The most items one transaction takes.</param>
    /// <param name="write">Writes one item inside the group's transaction.</param>
    /// <param name="writeGroup">
    /// Writes a whole group in one call, a result per item in order. If it throws, the group is rolled back and each of
    /// its items written alone by <paramref name="write"/>, as when <paramref name="write"/> fails inside a group.
    /// </param>
    /// <param name="priority">The writer's place in the queue for SQLite's write lock.</param>
    /// <param name="failure">What a caller hears when its item could not be committed (by default the exception itself).</param>
    /// <param name="logger">Where a failed commit is logged (not logged without one: the callers hear every failure).</param>
    public GroupCommit(IStoreConnections connections, int maxBatch, Func<DbConnection, DbTransaction, TItem, Task<TResult>> write,
        Func<DbConnection, DbTransaction, IReadOnlyList<TItem>, Task<IReadOnlyList<TResult>>>? writeGroup = null,
        WritePriority priority = WritePriority.Normal, Func<Exception, Exception>? failure = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(connections);
        ArgumentNullException.ThrowIfNull(write);
        _connections = connections;
        _write = write;
        _writeGroup = writeGroup;
        _maxBatch = Math.Max(1, maxBatch);
        _priority = priority;
        _failure = failure ?? (ex => ex);
        _logger = logger;
        _keepConnection = connections.Provider == Core.Storage.StoreProvider.Sqlite;
        _writer = Task.Run(WriteLoopAsync);
    }

    /// <summary>Queues the write and returns its result once it is committed (or its failure).</summary>
    public async Task<TResult> WriteAsync(TItem item, CancellationToken cancellationToken)
    {
        var pending = new Pending(item);
        if (!_queue.Writer.TryWrite(pending))
            throw new ObjectDisposedException(nameof(GroupCommit<TItem, TResult>), "The store is shutting down.");
        return await pending.Completion.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _writer.ConfigureAwait(false);
        await CloseAsync().ConfigureAwait(false);
    }

    private async Task WriteLoopAsync()
    {
        var batch = new List<Pending>(_maxBatch);
        while (await _queue.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            batch.Clear();
            while (batch.Count < _maxBatch && _queue.Reader.TryRead(out var pending))
                batch.Add(pending);
            var from = 0;
            var triedAgain = false;
            while (from < batch.Count)
            {
#pragma warning disable CA1031 // Whatever failed, the writer hands it to its callers and goes on.
                try
                {
                    // Usually the whole batch; fewer when a webhook's commit waits for the write lock (SQLite).
                    var results = await CommitAsync(batch, from, topUp: true).ConfigureAwait(false);
                    for (var i = 0; i < results.Count; i++)
                        batch[from + i].Completion.TrySetResult(results[i]);
                    from += results.Count;
                }
                catch (Exception ex) when (!triedAgain && _reachedWrites && !_reachedCommit && IsTheStores(ex) && !TimedOut(ex))
                {
                    // The connection was lost under the group before its COMMIT (a restart, a session ended): once more on a
                    // new one. Not after a timeout: the second try would wait it out again before the callers hear it.
                    triedAgain = true;
                    _logger?.LogWarning(ex, "Commit of {Count} items lost its connection; trying the group once more", batch.Count - from);
                }
                catch (Exception ex) when (batch.Count - from > 1 && _reachedWrites && !IsTheStores(ex))
                {
                    // One item the store refuses must not fail the others that shared its commit: each is tried alone (the
                    // group's transaction was rolled back).
                    _logger?.LogWarning(ex, "Commit of {Count} items failed; committing each alone", batch.Count - from);
                    from = await CommitEachAloneAsync(batch, from).ConfigureAwait(false);
                }
                catch (Exception ex)
                {
                    from = Fail(batch, from, ex);
                }
#pragma warning restore CA1031
            }
        }
    }

    // Commits the batch's items from `from` one by one until the store, not an item, fails; returns where it stopped.
    private async Task<int> CommitEachAloneAsync(List<Pending> batch, int from)
    {
        for (; from < batch.Count; from++)
        {
#pragma warning disable CA1031 // The caller receives the exception.
            try
            {
                batch[from].Completion.TrySetResult((await CommitAsync(batch, from, topUp: false).ConfigureAwait(false))[0]);
            }
            catch (Exception ex) when (_reachedWrites && !IsTheStores(ex))
            {
                batch[from].Completion.TrySetException(_failure(ex));
            }
            catch (Exception ex)
            {
                return Fail(batch, from, ex);
            }
#pragma warning restore CA1031
        }
        return from;
    }

    // A timeout or a lost connection (the dialect knows its driver's codes); not a server's answer about the transaction.
    private bool IsTheStores(Exception ex) => _connections.Dialect.IsStoreFault(ex);

    private static bool TimedOut(Exception? ex) => ex is TimeoutException || ex?.InnerException is { } inner && TimedOut(inner);

    // Hands the failure to every caller of the batch from `from`; returns the batch's end.
    private int Fail(List<Pending> batch, int from, Exception ex)
    {
        _logger?.LogError(ex, "Commit of {Count} items failed", batch.Count - from);
        for (var i = from; i < batch.Count; i++)
            batch[i].Completion.TrySetException(_failure(ex));
        return batch.Count;
    }

    /// <summary>
    /// Writes the batch's items from <paramref name="from"/> in one transaction and returns their results; stops early,
    /// committing what it wrote, when a commit of the intake waits for the write lock, so a webhook's acknowledgement
    /// waits for one item's write rather than the batch's. With <paramref name="topUp"/>, items queued meanwhile are added
    /// to <paramref name="batch"/> once the turn is taken.
    /// </summary>
    private async Task<List<TResult>> CommitAsync(List<Pending> batch, int from, bool topUp)
    {
        _reachedWrites = false;
        _reachedCommit = false;
        var results = new List<TResult>(topUp ? batch.Count - from : 1);
        if (!_keepConnection)
        {
            var pooled = await _connections.OpenAsync(CancellationToken.None).ConfigureAwait(false);
            try
            {
                return await CommitOnAsync(pooled, batch, from, topUp, results).ConfigureAwait(false);
            }
            finally
            {
                // After a commit its items are committed whatever the close does: a throw here must not fail them.
                await CloseQuietlyAsync(pooled).ConfigureAwait(false);
            }
        }
        try
        {
            _connection ??= await _connections.OpenAsync(CancellationToken.None).ConfigureAwait(false);
            return await CommitOnAsync(_connection, batch, from, topUp, results).ConfigureAwait(false);
        }
        catch
        {
            // The connection may be what failed (a file replaced, a disk error): the next group opens a new one.
            await CloseAsync().ConfigureAwait(false);
            throw;
        }
    }

    private async Task CloseAsync()
    {
        var connection = _connection;
        _connection = null;
        if (connection is not null)
            await CloseQuietlyAsync(connection).ConfigureAwait(false);
    }

    private async Task CloseQuietlyAsync(DbConnection connection)
    {
        try
        {
            await connection.DisposeAsync().ConfigureAwait(false);
        }
#pragma warning disable CA1031 // A connection that fails to close is dropped; the writer goes on.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            _logger?.LogWarning(ex, "Closing a group writer's connection failed");
        }
    }

    private async Task<List<TResult>> CommitOnAsync(DbConnection connection, List<Pending> batch, int from, bool topUp, List<TResult> results)
    {
        using var turn = await _connections.TakeWriteTurnAsync(_priority, CancellationToken.None).ConfigureAwait(false);
        // What was queued while this group waited for its turn joins it: one commit instead of another group's wait and
        // commit (issue 15: each commit writes a WAL frame per page it dirtied, and the pages shared by the group's rows —
        // the ends of the outbox's indexes, the attempt records' table — are written once per commit).
        while (topUp && batch.Count < _maxBatch && _queue.Reader.TryRead(out var queued))
            batch.Add(queued);
        await using var transaction = await connection.BeginTransactionAsync().ConfigureAwait(false);
        _reachedWrites = true;
        if (_writeGroup is not null && topUp)
        {
            var items = new TItem[batch.Count - from];
            for (var i = 0; i < items.Length; i++)
                items[i] = batch[from + i].Item;
            var written = await _writeGroup(connection, transaction, items).ConfigureAwait(false);
            if (written.Count != items.Length)
                throw new InvalidOperationException($"The group writer gave {written.Count} results for {items.Length} items");
            results.AddRange(written);
        }
        else
        {
            do
                results.Add(await _write(connection, transaction, batch[from + results.Count].Item).ConfigureAwait(false));
            while (topUp && from + results.Count < batch.Count && !turn.IntakeWaiting);
        }
        _reachedCommit = true;
        await transaction.CommitAsync().ConfigureAwait(false);
        return results;
    }

    private sealed class Pending(TItem item)
    {
        public TItem Item { get; } = item;

        public TaskCompletionSource<TResult> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
