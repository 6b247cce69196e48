using FieldOps.Integration.Core.Storage;
using FieldOps.Integration.Storage.Dialects;

namespace FieldOps.Integration.Storage;

/// <summary>
/// Connections to the store and the SQL dialect they speak. The composition root picks one implementation from
/// <c>Store:Provider</c>; every store takes its SQL grammar from <see cref="Dialect"/> and never asks which database it is.
/// </summary>
public interface IStoreConnections : IDbConnectionFactory
{
    /// <summary>The SQL this database speaks where providers differ.</summary>
    SqlDialect Dialect { get; }

    /// <summary>
    /// Connections for writes that may be lost to a power cut because repeating them is harmless (claims and
    /// write-backs): SQLite with <c>synchronous=NORMAL</c>; the same connections for a server database.
    /// </summary>
    IStoreConnections ForRepeatableWrites();

    /// <summary>
    /// Waits for this process's turn to write, taken just before a write transaction begins and disposed after it ends:
    /// SQLite writes one transaction at a time, and its writers take turns in <see cref="WriteTurns"/>, the intake's
    /// commits first; a server database hands the turn out at once.
    /// </summary>
    ValueTask<WriteTurn> TakeWriteTurnAsync(WritePriority priority, CancellationToken cancellationToken);
}
