namespace FieldOps.Integration.Host.Ops;

/// <summary>The operations page under <c>/ops</c> (the <c>Ops</c> section).</summary>
public sealed class OpsOptions
{
    public const string SectionName = "Ops";

    /// <summary>Whether <c>/ops</c> answers. <value>The default value is <c>false</c></value>; it also needs the admin API key (<c>Admin__ApiKey</c>), which is its password.</summary>
    public bool Enabled { get; set; }

    /// <summary>How long a login lasts without use. <value>The default value is 8 hours.</value></summary>
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromHours(8);

    /// <summary>Dead-letter groups and rows per page. <value>The default value is 50.</value></summary>
    public int PageSize { get; set; } = 50;
}
