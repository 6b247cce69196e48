using FieldOps.Integration.Core.Storage;

namespace FieldOps.Integration.Storage.Dialects;

public abstract partial class SqlDialect
{
    /// <summary>
    /// Gives free space back and bounds the write-ahead log, when the database leaves that to us; returns what it did.
    /// <value>By default nothing: a server database's autovacuum or its own maintenance does it.</value>
    /// </summary>
    public virtual Task<string> CompactAsync(IDbConnectionFactory connections, double freeRatio, long minFreePages, CancellationToken cancellationToken) =>
        Task.FromResult("compaction left to the database (autovacuum)");
}
