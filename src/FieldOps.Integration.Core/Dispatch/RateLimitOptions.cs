namespace FieldOps.Integration.Core.Dispatch;

/// <summary>
/// A connector's client-side limits (<c>Connectors:{Name}:RateLimit</c>). Defaults follow the vendors' published
/// limits (target-apis.md): HubSpot 100 per 10 s; QuickBooks 500 per minute and 10 concurrent per company;
/// Salesforce its daily allocation (100,000 per 24 h base); BambooHR publishes none, so it is adaptive — no fixed
/// limit, and every throttle answer pauses the connector for the wait the target asked.
/// </summary>
public sealed class RateLimitOptions
{
    /// <summary>Calls allowed per <see cref="Window"/>; null for no fixed limit (adaptive only).</summary>
    public int? PermitLimit { get; set; }

    /// <summary>The window of <see cref="PermitLimit"/>. <value>The default value is 1 minute.</value></summary>
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Calls in flight at once against the target; null for no limit beyond the dispatcher's concurrency.</summary>
    public int? MaxConcurrency { get; set; }

    /// <summary>The published defaults for <paramref name="connector"/> (lower-case name).</summary>
    public static RateLimitOptions DefaultsFor(string connector) => connector switch
    {
        "hubspot" => new RateLimitOptions { PermitLimit = 100, Window = TimeSpan.FromSeconds(10) },
        "quickbooks" => new RateLimitOptions { PermitLimit = 500, Window = TimeSpan.FromMinutes(1), MaxConcurrency = 10 },
        "salesforce" => new RateLimitOptions { PermitLimit = 100_000, Window = TimeSpan.FromHours(24) },
        _ => new RateLimitOptions(),
    };
}
