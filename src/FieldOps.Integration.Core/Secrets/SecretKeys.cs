namespace FieldOps.Integration.Core.Secrets;

/// <summary>
/// Which configuration keys hold secrets: a last segment ending in Secret, Password, ApiKey, ClientSecret,
/// RefreshToken or AccessToken (any case), every configured request header value (a key under a <c>Headers</c>
/// section, e.g. <c>Connectors:Http:Endpoints:erp:Headers:X-Api-Key</c>, except the few standard headers that never
/// carry credentials), and the password inside any <c>…ConnectionString</c>.
/// </summary>
public static class SecretKeys
{
    private static readonly string[] Suffixes = ["Secret", "Password", "ApiKey", "RefreshToken", "AccessToken"];

    // Header values an admin configures are credentials more often than not (X-Api-Key, Authorization, a tenant
    // token); these standard ones never are, and masking "application/json" everywhere would hide more than it protects.
    private static readonly HashSet<string> PlainHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "Accept", "Accept-Encoding", "Accept-Language", "Cache-Control", "Content-Language", "Content-Type", "User-Agent",
    };

    /// <summary>True when the value of <paramref name="key"/> (a full configuration path) is a secret.</summary>
    public static bool IsSecret(string key) =>
        Suffixes.Any(s => LastSegment(key).EndsWith(s, StringComparison.OrdinalIgnoreCase)) || IsHeaderValue(key);

    private static bool IsHeaderValue(string key)
    {
        var last = key.LastIndexOf(':');
        if (last <= 0)
            return false;
        var parent = key[..last];
        var parentColon = parent.LastIndexOf(':');
        return parent[(parentColon + 1)..].Equals("Headers", StringComparison.OrdinalIgnoreCase) && !PlainHeaders.Contains(key[(last + 1)..]);
    }

    /// <summary>True when <paramref name="key"/> holds a database connection string (whose password is a secret).</summary>
    public static bool IsConnectionString(string key) => LastSegment(key).EndsWith("ConnectionString", StringComparison.OrdinalIgnoreCase);

    /// <summary>The password of a connection string, or null when it has none or cannot be read.</summary>
    public static string? ConnectionStringPassword(string? connectionString)
    {
        if (string.IsNullOrWhiteSpace(connectionString))
            return null;
        try
        {
            var builder = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString };
            foreach (var name in new[] { "Password", "Pwd" })
            {
                if (builder.TryGetValue(name, out var value) && value?.ToString() is { Length: > 0 } password)
                    return password;
            }
        }
        catch (ArgumentException)
        {
            // Not a key=value list: the store's own check names the problem.
        }
        return null;
    }

    private static string LastSegment(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var colon = key.LastIndexOf(':');
        return colon < 0 ? key : key[(colon + 1)..];
    }
}
