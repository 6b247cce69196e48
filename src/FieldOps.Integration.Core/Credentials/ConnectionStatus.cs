using System.Collections.Concurrent;

namespace FieldOps.Integration.Core.Credentials;

/// <summary>
/// The connections known to be broken (<c>invalid_grant</c>, no token endpoint) in this process: the dispatcher pauses
/// their claims and readiness reports them. The token store holds the durable copy for other processes.
/// </summary>
public sealed class ConnectionStatus
{
    private readonly ConcurrentDictionary<string, string> _broken = new(StringComparer.Ordinal);

    /// <summary>Broken connections (<c>quickbooks:default</c>) and why.</summary>
    public IReadOnlyDictionary<string, string> Broken => _broken;

    /// <summary>Records <paramref name="connection"/> as broken; true when it was not already.</summary>
    public bool MarkBroken(string connection, string reason)
    {
        var added = !_broken.ContainsKey(connection);
        _broken[connection] = reason;
        return added;
    }

    /// <summary>Records <paramref name="connection"/> as working again; true when it was broken.</summary>
    public bool MarkWorking(string connection) => _broken.TryRemove(connection, out _);

    /// <summary>Replaces the set with what the store says (other processes may have found or fixed one).</summary>
    public void Reset(IReadOnlyDictionary<string, string> broken)
    {
        ArgumentNullException.ThrowIfNull(broken);
        foreach (var key in _broken.Keys.Where(k => !broken.ContainsKey(k)))
            _broken.TryRemove(key, out _);
        foreach (var (key, reason) in broken)
            _broken[key] = reason;
    }
}
