namespace FieldOps.Sources.HubSpot;

/// <summary>The HubSpot settings of every source, by name (the <c>Sources</c> section).</summary>
public sealed class HubSpotSourcesOptions : Dictionary<string, HubSpotSourceOptions>
{
    public const string SectionName = "Sources";

    public HubSpotSourcesOptions() : base(StringComparer.OrdinalIgnoreCase) { }
}

/// <summary>
/// A HubSpot source (<c>Sources:{name}</c>, Kind <c>hubspot</c>). The app's client secret, which signs the webhooks,
/// is the source's <c>Secret</c>.
/// </summary>
public sealed class HubSpotSourceOptions
{
    /// <summary>
    /// The URL HubSpot posts to, exactly as configured in the app (the signature covers it); needed behind a proxy,
    /// where the request we see has another scheme or host. <value>The default value is none: the request's own URL.</value>
    /// </summary>
    public Uri? PublicUrl { get; set; }

    /// <summary>How old (or how far ahead) a request's timestamp may be. <value>The default value is 5 minutes.</value></summary>
    public TimeSpan TimestampTolerance { get; set; } = HubSpotSignatureV3.DefaultTolerance;

    /// <summary>A private-app token with read scopes for tickets and contacts, to fetch what a thin event names (environment only).</summary>
    public string? AccessToken { get; set; }

    /// <summary>Redacts the token.</summary>
    public override string ToString() => $"HubSpotSource(PublicUrl={PublicUrl})";
}
