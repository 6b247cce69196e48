namespace FieldOps.Integration.Core.Sources;

/// <summary>
/// A source's API pause, stored with the source so every process on the database honours it: a <c>THROTTLED</c>
/// answer (or HTTP 429) seen by one process's hydration or poll stops the others' calls to that source until then.
/// </summary>
public interface ISourcePauses
{
    /// <summary>Pauses calls to <paramref name="source"/> for every process until <paramref name="until"/> (a later pause wins).</summary>
    Task PauseSourceAsync(string source, DateTimeOffset until, CancellationToken cancellationToken);

    /// <summary>Until when calls to <paramref name="source"/> are paused (possibly already past), or null.</summary>
    Task<DateTimeOffset?> GetSourcePauseAsync(string source, CancellationToken cancellationToken);
}
