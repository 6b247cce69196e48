namespace FieldOps.Integration.Host.Startup;

/// <summary>
/// Whether this process has brought the store's schema up to date: what waits for the tables before it starts (the
/// clustered scheduler) awaits <see cref="CurrentAsync"/>.
/// </summary>
internal sealed class StoreSchemaStatus
{
    private readonly TaskCompletionSource _current = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>True once the migrations have run.</summary>
    public bool IsCurrent => _current.Task.IsCompleted;

    /// <summary>Records that the migrations have run.</summary>
    public void MarkCurrent() => _current.TrySetResult();

    /// <summary>Completes when the schema is current.</summary>
    public Task CurrentAsync(CancellationToken cancellationToken) => _current.Task.WaitAsync(cancellationToken);
}
