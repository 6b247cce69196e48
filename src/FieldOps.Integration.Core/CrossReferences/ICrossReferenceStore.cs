namespace FieldOps.Integration.Core.CrossReferences;

/// <summary>Ids the targets assigned, by the field-service id they stand for (FSM client 42 ↔ QuickBooks Customer 58).</summary>
public interface ICrossReferenceStore
{
    /// <summary>The target id for (<paramref name="system"/>, <paramref name="objectType"/>, <paramref name="sourceId"/>), or null.</summary>
    Task<string?> FindAsync(string system, string objectType, string sourceId, CancellationToken cancellationToken);

    /// <summary>
    /// The source id whose cross-reference holds <paramref name="targetId"/> — i.e. the hub wrote (or matched) that
    /// record — or null. Used to recognise the echo of our own write.
    /// </summary>
    Task<string?> FindSourceAsync(string system, string objectType, string targetId, CancellationToken cancellationToken) =>
        Task.FromResult<string?>(null);

    /// <summary>The target ids known for <paramref name="keys"/>, read together (keys without one are left out).</summary>
    Task<IReadOnlyDictionary<XrefPlaceholder, string>> FindManyAsync(IReadOnlyCollection<XrefPlaceholder> keys, CancellationToken cancellationToken);

    /// <summary>Records or replaces a cross-reference.</summary>
    Task SaveAsync(string system, string objectType, string sourceId, string targetId, CancellationToken cancellationToken);
}
