namespace FieldOps.Integration.Core.Operations;

/// <summary>The operators' audit log: every confirmed action, append only.</summary>
public interface IAuditLog
{
    /// <summary>Appends <paramref name="entry"/> (its <c>Id</c> is ignored).</summary>
    Task AppendAsync(AuditEntry entry, CancellationToken cancellationToken);

    /// <summary>The newest entries, at most <paramref name="limit"/>, below <paramref name="beforeId"/> when given.</summary>
    Task<IReadOnlyList<AuditEntry>> ListAsync(int limit, long? beforeId, CancellationToken cancellationToken);
}
