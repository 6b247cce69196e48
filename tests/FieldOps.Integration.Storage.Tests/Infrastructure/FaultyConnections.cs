namespace FieldOps.Integration.Storage.Tests.Infrastructure;

/// <summary>Which of a writer's first steps <see cref="FaultyConnections"/> holds back until released.</summary>
internal enum HeldBack
{
    Nothing,
    FirstOpen,
    FirstTurn,
}

/// <summary>
/// The store's connections with faults: the opens <see cref="FaultOfOpen"/> names throw its exception (the closes
/// <see cref="FaultOfClose"/> names too, once closed), <see cref="AfterOpen"/> may break the store once a connection
/// is open, and the first open or write turn (<see cref="Hold"/>) waits until <see cref="Release"/> is set, so writes queued meanwhile go as one
/// group; opens tried, opened and closed are counted, and the priority of each write turn kept.
/// </summary>
internal sealed class FaultyConnections(IStoreConnections inner) : IStoreConnections
{
    private int _opensTried;
    private int _opened;
    private int _closed;
    private int _turns;

    /// <summary>For the n-th open (from 1), the exception it throws, or null.</summary>
    public Func<int, Exception?> FaultOfOpen { get; init; } = _ => null;

    /// <summary>For the n-th close (from 1) of a connection opened here, the exception it throws, or null.</summary>
    public Func<int, Exception?> FaultOfClose { get; init; } = _ => null;

    /// <summary>What befalls the store right after the n-th open (from 1) succeeds: a test's outage.</summary>
    public Func<int, Task> AfterOpen { get; init; } = _ => Task.CompletedTask;

    public HeldBack Hold { get; init; }

    public TaskCompletionSource Asked { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public int OpensTried => Volatile.Read(ref _opensTried);

    /// <summary>The priority of each write turn asked for, in order.</summary>
    public System.Collections.Concurrent.ConcurrentQueue<WritePriority> Priorities { get; } = new();

    public int Opened => Volatile.Read(ref _opened);

    public int Closed => Volatile.Read(ref _closed);

    public Core.Storage.StoreProvider Provider => inner.Provider;

    public FieldOps.Integration.Storage.Dialects.SqlDialect Dialect => inner.Dialect;

    public IStoreConnections ForRepeatableWrites() => this;

    public async Task<System.Data.Common.DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var n = Interlocked.Increment(ref _opensTried);
        if (n == 1 && Hold == HeldBack.FirstOpen)
            await HeldAsync().ConfigureAwait(false);
        if (FaultOfOpen(n) is { } fault)
            throw fault;
        var connection = await inner.OpenAsync(cancellationToken).ConfigureAwait(false);
        Interlocked.Increment(ref _opened);
        await AfterOpen(n).ConfigureAwait(false);
        connection.StateChange += (_, change) =>
        {
            if (change.CurrentState == System.Data.ConnectionState.Closed && FaultOfClose(Interlocked.Increment(ref _closed)) is { } fault)
                throw fault;
        };
        return connection;
    }

    public async ValueTask<WriteTurn> TakeWriteTurnAsync(WritePriority priority, CancellationToken cancellationToken)
    {
        Priorities.Enqueue(priority);
        if (Interlocked.Increment(ref _turns) == 1 && Hold == HeldBack.FirstTurn)
            await HeldAsync().ConfigureAwait(false);
        return await inner.TakeWriteTurnAsync(priority, cancellationToken).ConfigureAwait(false);
    }

    private Task HeldAsync()
    {
        Asked.TrySetResult();
        return Release.Task;
    }
}
