using System.Data.Common;
using System.Threading.Channels;

namespace FieldOps.Integration.Storage;

/// <summary>
/// Group commit for small writes that arrive concurrently: callers queue their item, one writer applies every item
/// waiting (up to <c>maxBatch</c>) in a single transaction, and each caller hears back only after that commit — so a
/// caller's write is exactly as durable as if it had its own transaction, while one commit (one fsync) serves many.
/// Items queued while a group waits for its write turn join that group. If the shared transaction fails, each item of it
/// is tried again alone, so one bad item fails only its caller.
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
    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new() { SingleReader = true });
    private readonly Task _writer;
    // SQLite: the writer's own connection, kept between groups (its page cache stays warm while no other connection
    // writes), reopened after a failure. A server database's connection comes from its pool for each group, checked
    // or pruned by the pool (a server restart or an idle timeout must not fail the next group).
    private readonly bool _keepConnection;
    private DbConnection? _connection;

    /// <param name="connections">Where the writer writes.</param>
    /// <param name="maxBatch">The most items one transaction takes.</param>
    /// <param name="write">Writes one item inside the group's transaction.</param>
    /// <param name="writeGroup">
    /// Writes a whole group in one call, a result per item in order. If it throws, the group is rolled back and each of
    /// its items written alone by <paramref name="write"/>, as when <paramref name="write"/> fails inside a group.
    /// </param>
    public GroupCommit(IStoreConnections connections, int maxBatch, Func<DbConnection, DbTransaction, TItem, Task<TResult>> write,
        Func<DbConnection, DbTransaction, IReadOnlyList<TItem>, Task<IReadOnlyList<TResult>>>? writeGroup = null)
    {
        _connections = connections;
        _write = write;
        _writeGroup = writeGroup;
        _maxBatch = Math.Max(1, maxBatch);
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
        if (_connection is not null)
            await _connection.DisposeAsync().ConfigureAwait(false);
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
            while (from < batch.Count)
            {
                try
                {
                    // Usually the whole batch; fewer when a webhook's commit waits for the write lock (SQLite).
                    var results = await CommitAsync(batch, from, topUp: true).ConfigureAwait(false);
                    for (var i = 0; i < results.Count; i++)
                        batch[from + i].Completion.TrySetResult(results[i]);
                    from += results.Count;
                }
#pragma warning disable CA1031 // Whatever failed the shared transaction is handed to the callers, each item tried alone.
                catch (Exception) when (batch.Count - from > 1)
                {
                    for (; from < batch.Count; from++)
                        await CommitAloneAsync(batch[from]).ConfigureAwait(false);
                }
                catch (Exception ex)
                {
                    batch[from++].Completion.TrySetException(ex);
                }
#pragma warning restore CA1031
            }
        }
    }

    private async Task CommitAloneAsync(Pending pending)
    {
        try
        {
            pending.Completion.TrySetResult((await CommitAsync([pending], 0, topUp: false).ConfigureAwait(false))[0]);
        }
#pragma warning disable CA1031 // The caller receives the exception.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            pending.Completion.TrySetException(ex);
        }
    }

    /// <summary>
    /// Writes the batch's items from <paramref name="from"/> in one transaction and returns their results; stops early,
    /// committing what it wrote, when a commit of the intake waits for the write lock, so a webhook's acknowledgement
    /// waits for one item's write rather than the batch's. With <paramref name="topUp"/>, items queued meanwhile are added
    /// to <paramref name="batch"/> once the turn is taken.
    /// </summary>
    private async Task<List<TResult>> CommitAsync(List<Pending> batch, int from, bool topUp)
    {
        var results = new List<TResult>(batch.Count - from);
        if (!_keepConnection)
        {
            await using var pooled = await _connections.OpenAsync(CancellationToken.None).ConfigureAwait(false);
            return await CommitOnAsync(pooled, batch, from, topUp, results).ConfigureAwait(false);
        }
        var connection = _connection ??= await _connections.OpenAsync(CancellationToken.None).ConfigureAwait(false);
        try
        {
            return await CommitOnAsync(connection, batch, from, topUp, results).ConfigureAwait(false);
        }
        catch
        {
            // The connection may be what failed (a file replaced, a disk error): the next group opens a new one.
            _connection = null;
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private async Task<List<TResult>> CommitOnAsync(DbConnection connection, List<Pending> batch, int from, bool topUp, List<TResult> results)
    {
        using var turn = await _connections.TakeWriteTurnAsync(WritePriority.Normal, CancellationToken.None).ConfigureAwait(false);
        // What was queued while this group waited for its turn joins it: one commit instead of another group's wait and
        // commit (issue 15: each commit writes a WAL frame per page it dirtied, and the pages shared by the group's rows —
        // the ends of the outbox's indexes, the attempt records' table — are written once per commit).
        while (topUp && batch.Count < _maxBatch && _queue.Reader.TryRead(out var queued))
            batch.Add(queued);
        await using var transaction = await connection.BeginTransactionAsync().ConfigureAwait(false);
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
            while (from + results.Count < batch.Count && !turn.IntakeWaiting);
        }
        await transaction.CommitAsync().ConfigureAwait(false);
        return results;
    }

    private sealed class Pending(TItem item)
    {
        public TItem Item { get; } = item;

        public TaskCompletionSource<TResult> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
