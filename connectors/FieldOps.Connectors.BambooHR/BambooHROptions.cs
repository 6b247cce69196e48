namespace FieldOps.Connectors.BambooHR;

/// <summary>The BambooHR connection (<c>Connectors:BambooHR</c>). Secrets come from the environment only.</summary>
public sealed class BambooHROptions
{
    public const string SectionName = "Connectors:BambooHR";

    /// <summary>The connection name under which the token endpoint is registered and tokens are stored (OAuth mode).</summary>
    public const string ConnectionName = "bamboohr:default";

    /// <summary>When false the connector is not registered even if the section exists. <value>The default value is true.</value></summary>
    public bool Enabled { get; set; } = true;

    /// <summary>The company's API host, <c>https://{companyDomain}.bamboohr.com</c>. Required.</summary>
    public Uri? BaseUrl { get; set; }

    /// <summary>How calls authenticate. <value>The default value is <see cref="BambooHRAuthMode.ApiKey"/>.</value></summary>
    public BambooHRAuthMode AuthMode { get; set; } = BambooHRAuthMode.ApiKey;

    /// <summary>The API key, sent as the HTTP Basic user with password <c>x</c>: environment only (<c>Connectors__BambooHR__ApiKey</c>).</summary>
    public string? ApiKey { get; set; }

    /// <summary>OAuth client id (OAuth mode).</summary>
    public string? ClientId { get; set; }

    /// <summary>OAuth client secret (OAuth mode): environment only (<c>Connectors__BambooHR__ClientSecret</c>).</summary>
    public string? ClientSecret { get; set; }

    /// <summary>A refresh token that seeds an empty token store (OAuth mode; <c>Connectors__BambooHR__RefreshToken</c>).</summary>
    public string? RefreshToken { get; set; }

    /// <summary>The OAuth token endpoint. <value>The default value is <c>{BaseUrl}/token.php?request=token</c>.</value></summary>
    public Uri? TokenUrl { get; set; }

    /// <summary>BambooHR employee ids by technician id (<c>Connectors:BambooHR:Employees:{technicianId}</c>), checked before the directory.</summary>
    public Dictionary<string, string> Employees { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>How long the employee directory read (work email → employee id) is reused. <value>The default value is 1 hour.</value></summary>
    public TimeSpan EmployeeCacheDuration { get; set; } = TimeSpan.FromHours(1);

    /// <summary>The per-call timeout. <value>The default value is 30 seconds.</value></summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The most hour records one bulk call carries (BambooHR publishes no limit). <value>The default value is 100.</value></summary>
    public int MaxBatchSize { get; set; } = 100;

    /// <summary>The <c>rateType</c> used when a flow gives none. <value>The default value is <c>REG</c>.</value></summary>
    public string DefaultRateType { get; set; } = "REG";

    /// <summary>The token endpoint in effect.</summary>
    public Uri EffectiveTokenUrl => TokenUrl ?? new Uri(BaseUrl!, "/token.php?request=token");
}

/// <summary>How BambooHR calls authenticate.</summary>
public enum BambooHRAuthMode
{
    /// <summary>HTTP Basic with the API key as user and <c>x</c> as password: static, no refresh.</summary>
    ApiKey,

    /// <summary>OAuth 2.0 bearer tokens with rotating refresh tokens, through the token store.</summary>
    OAuth,
}
