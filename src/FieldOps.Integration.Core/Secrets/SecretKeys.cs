namespace FieldOps.Integration.Core.Secrets;

/// <summary>
/// Which configuration keys hold secrets: a last segment ending in Secret, Password, ApiKey, ClientSecret,
/// RefreshToken or AccessToken (any case), and the password inside any <c>…ConnectionString</c>.
/// </summary>
public static class SecretKeys
{
    private static readonly string[] Suffixes = ["Secret", "Password", "ApiKey", "RefreshToken", "AccessToken"];

    /// <summary>True when the value of <paramref name="key"/> (a full configuration path) is a secret.</summary>
    public static bool IsSecret(string key) => Suffixes.Any(s => LastSegment(key).EndsWith(s, StringComparison.OrdinalIgnoreCase));

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
