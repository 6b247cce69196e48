using System.Data.Common;
using System.Threading.Channels;

namespace FieldOps.Integration.Storage;

/// <summary>
/// Group commit for small writes that arrive concurrently: callers queue their item, one writer applies every item
/// waiting (up to <c>maxBatch</c>) in a single transaction, and each caller hears back only after that commit — so a
/// caller's write is exactly as durable as if it had its own transaction, while one commit (one fsync) serves many.
/// If the shared transaction fails, each item of it is tried again alone, so one bad item fails only its caller.
/// </summary>
/// <typeparam name="TItem">What a caller writes.</typeparam>
/// <typeparam name="TResult">What the write returns to its caller.</typeparam>
public sealed class GroupCommit<TItem, TResult> : IAsyncDisposable
{
    private readonly IStoreConnections _connections;
    private readonly Func<DbConnection, DbTransaction, TItem, Task<TResult>> _write;
    private readonly int _maxBatch;
    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new() { SingleReader = true });
    private readonly Task _writer;

    public GroupCommit(IStoreConnections connections, int maxBatch, Func<DbConnection, DbTransaction, TItem, Task<TResult>> write)
    {
        _connections = connections;
        _write = write;
        _maxBatch = Math.Max(1, maxBatch);
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
    }

    private async Task WriteLoopAsync()
    {
        var batch = new List<Pending>(_maxBatch);
        while (await _queue.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            batch.Clear();
            while (batch.Count < _maxBatch && _queue.Reader.TryRead(out var pending))
                batch.Add(pending);
            try
            {
                var results = await CommitAsync(batch).ConfigureAwait(false);
                for (var i = 0; i < batch.Count; i++)
                    batch[i].Completion.TrySetResult(results[i]);
            }
#pragma warning disable CA1031 // Whatever failed the shared transaction is handed to the callers, each item tried alone.
            catch (Exception) when (batch.Count > 1)
            {
                foreach (var pending in batch)
                    await CommitAloneAsync(pending).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                batch[0].Completion.TrySetException(ex);
            }
#pragma warning restore CA1031
        }
    }

    private async Task CommitAloneAsync(Pending pending)
    {
        try
        {
            pending.Completion.TrySetResult((await CommitAsync([pending]).ConfigureAwait(false))[0]);
        }
#pragma warning disable CA1031 // The caller receives the exception.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            pending.Completion.TrySetException(ex);
        }
    }

    private async Task<TResult[]> CommitAsync(List<Pending> batch)
    {
        var results = new TResult[batch.Count];
        await using var connection = await _connections.OpenAsync(CancellationToken.None).ConfigureAwait(false);
        using var turn = await _connections.TakeWriteTurnAsync(WritePriority.Normal, CancellationToken.None).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync().ConfigureAwait(false);
        for (var i = 0; i < batch.Count; i++)
            results[i] = await _write(connection, transaction, batch[i].Item).ConfigureAwait(false);
        await transaction.CommitAsync().ConfigureAwait(false);
        return results;
    }

    private sealed class Pending(TItem item)
    {
        public TItem Item { get; } = item;

        public TaskCompletionSource<TResult> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
