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
}
