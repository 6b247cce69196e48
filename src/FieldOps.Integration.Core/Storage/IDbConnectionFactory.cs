using System.Data.Common;

namespace FieldOps.Integration.Core.Storage;

/// <summary>Opens connections to the configured store, set up for our use (pragmas, timeouts).</summary>
public interface IDbConnectionFactory
{
    /// <summary>Which database this is, so a store can pick its dialect's queries.</summary>
    StoreProvider Provider { get; }

    /// <summary>Opens a new connection; the caller disposes it.</summary>
    Task<DbConnection> OpenAsync(CancellationToken cancellationToken);
}
