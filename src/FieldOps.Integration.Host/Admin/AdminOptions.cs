namespace FieldOps.Integration.Host.Admin;

/// <summary>The admin API under <c>/admin</c> (the <c>Admin</c> section).</summary>
public sealed class AdminOptions
{
    public const string SectionName = "Admin";

    /// <summary>The shortest key accepted.</summary>
    public const int MinimumKeyLength = 16;

    /// <summary>
    /// Whether <c>/admin</c> answers. <value>The default value is unset: on when <see cref="ApiKey"/> is set, off otherwise</value>
    /// — so a fresh machine starts without an open admin API, and setting the key is all it takes to turn it on.
    /// <c>true</c> without a key refuses to start.
    /// </summary>
    public bool? Enabled { get; set; }

    /// <summary>The key callers send as <c>X-Api-Key</c>; at least 16 characters. Set it in the environment (<c>Admin__ApiKey</c>), never in the file.</summary>
    public string? ApiKey { get; set; }

    /// <summary>True when the admin API answers.</summary>
    public bool IsEnabled => Enabled ?? !string.IsNullOrEmpty(ApiKey);
}
