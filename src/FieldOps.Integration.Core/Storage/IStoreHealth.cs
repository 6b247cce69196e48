namespace FieldOps.Integration.Core.Storage;

/// <summary>What readiness asks of the store: can we reach it, and is its schema the one this build expects.</summary>
public interface IStoreHealth
{
    /// <summary>Returns null when healthy, else what is wrong.</summary>
    Task<string?> CheckAsync(CancellationToken cancellationToken);
}
