namespace FieldOps.Integration.Core.Outbox;

/// <summary>
/// Wakes the dispatcher of this process when there is work: new outbox rows committed by the router, or a delivery
/// finished (its partition key's next row is due). Signals coalesce: many before one wait cost one claim pass. Other
/// processes sharing the database still find the rows by polling.
/// </summary>
public sealed class OutboxSignal : IDisposable
{
    private readonly SemaphoreSlim _signal = new(0, 1);
    private long _newWork;

    /// <summary>How many times <see cref="Notify"/> said there is new work (not counting <see cref="Wake"/>).</summary>
    public long NewWork => Interlocked.Read(ref _newWork);

    /// <summary>Says there is new work (rows any connector may have); a waiting dispatcher wakes at once, a busy one finds it on its next pass.</summary>
    public void Notify()
    {
        Interlocked.Increment(ref _newWork);
        Wake();
    }

    /// <summary>Wakes a waiting dispatcher without saying there are new rows (its own delivery finished).</summary>
    public void Wake()
    {
        try
        {
            _signal.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already signalled: one wake is enough.
        }
    }

    /// <summary>Waits for a signal or the timeout, whichever comes first.</summary>
    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => _signal.WaitAsync(timeout, cancellationToken);

    public void Dispose() => _signal.Dispose();
}
