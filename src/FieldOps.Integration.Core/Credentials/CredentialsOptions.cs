namespace FieldOps.Integration.Core.Credentials;

/// <summary>The token store's settings (<c>Credentials</c> section).</summary>
public sealed class CredentialsOptions
{
    public const string SectionName = "Credentials";

    /// <summary>
    /// The folder of the Data Protection keys that encrypt the stored tokens. Keep it apart from the database (a copy
    /// of the database alone must not reveal tokens). <value>The default value is <c>keys</c>.</value>
    /// </summary>
    public string KeysDirectory { get; set; } = "keys";

    /// <summary>A token expiring within this is refreshed before use. <value>The default value is 2 minutes.</value></summary>
    public TimeSpan RefreshSkew { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// The largest part of a token's lifetime the skew may take: a 60 s token is refreshed 15 s before it expires, not
    /// before every call. <value>The default value is 0.25.</value>
    /// </summary>
    public double RefreshSkewFraction { get; set; } = 0.25;

    /// <summary>How long one process may hold a connection's refresh lease. <value>The default value is 30 seconds.</value></summary>
    public TimeSpan RefreshLease { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a caller waits for another process's refresh. <value>The default value is 45 seconds.</value></summary>
    public TimeSpan RefreshWaitLimit { get; set; } = TimeSpan.FromSeconds(45);

    /// <summary>How often a waiting caller re-reads the store. <value>The default value is 100 milliseconds.</value></summary>
    public TimeSpan RefreshPollInterval { get; set; } = TimeSpan.FromMilliseconds(100);
}
