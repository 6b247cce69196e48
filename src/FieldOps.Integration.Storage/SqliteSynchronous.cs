namespace FieldOps.Integration.Storage;

/// <summary>SQLite's <c>PRAGMA synchronous</c> levels that are safe with WAL.</summary>
public enum SqliteSynchronous
{
    /// <summary>Durable across power loss: fsync on every commit.</summary>
    Full,

    /// <summary>Durable across process crashes; a power cut may lose the last commits.</summary>
    Normal,
}
