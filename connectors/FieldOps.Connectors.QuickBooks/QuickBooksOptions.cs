namespace FieldOps.Connectors.QuickBooks;

/// <summary>The QuickBooks Online connection (<c>Connectors:QuickBooks</c>). Secrets come from the environment only.</summary>
public sealed class QuickBooksOptions
{
    public const string SectionName = "Connectors:QuickBooks";

    /// <summary>The connection name under which the token endpoint is registered and tokens are stored.</summary>
    public const string ConnectionName = "quickbooks:default";

    /// <summary>When false the connector is not registered even if the section exists. <value>The default value is true.</value></summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// The API host. <value>The default value is <c>https://quickbooks.api.intuit.com</c> (production); the sandbox is
    /// <c>https://sandbox-quickbooks.api.intuit.com</c>.</value>
    /// </summary>
    public Uri BaseUrl { get; set; } = new("https://quickbooks.api.intuit.com");

    /// <summary>The company id (<c>realmId</c>) every URL carries. Required.</summary>
    public string RealmId { get; set; } = "";

    /// <summary>The schema version sent as <c>minorversion</c>. <value>The default value is 75 (1–74 are retired).</value></summary>
    public int MinorVersion { get; set; } = 75;

    /// <summary>The OAuth token endpoint. <value>The default value is <c>https://oauth.platform.intuit.com/oauth2/v1/tokens/bearer</c>.</value></summary>
    public Uri TokenUrl { get; set; } = new("https://oauth.platform.intuit.com/oauth2/v1/tokens/bearer");

    /// <summary>The app's OAuth client id. Required.</summary>
    public string ClientId { get; set; } = "";

    /// <summary>The app's OAuth client secret: environment only (<c>Connectors__QuickBooks__ClientSecret</c>). Required.</summary>
    public string ClientSecret { get; set; } = "";

    /// <summary>
    /// A refresh token that seeds an empty token store (<c>Connectors__QuickBooks__RefreshToken</c>, environment only).
    /// Once stored, the store's rotated token wins and this value is ignored.
    /// </summary>
    public string? RefreshToken { get; set; }

    /// <summary>
    /// The item table: QuickBooks Item ids by the field-service product or service name on a job line
    /// (<c>Connectors:QuickBooks:Items:{name}</c>). A name not in the table is looked up by Item name, then
    /// <see cref="MissingItem"/> decides.
    /// </summary>
    public Dictionary<string, string> Items { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>What a job line whose item is neither in <see cref="Items"/> nor found by name gets. <value>The default value is <see cref="QuickBooksMissingItem.DeadLetter"/>.</value></summary>
    public QuickBooksMissingItem MissingItem { get; set; } = QuickBooksMissingItem.DeadLetter;

    /// <summary>The Item id booked when <see cref="MissingItem"/> is <c>Fallback</c> (e.g. your "Services" item).</summary>
    public string? FallbackItem { get; set; }

    /// <summary>The income Account id a created Item posts to (<see cref="MissingItem"/> = <c>Create</c>; Service items require one).</summary>
    public string? NewItemIncomeAccount { get; set; }

    /// <summary>The Account id of discount lines (<c>DiscountAccountRef</c>); QuickBooks' default discount account when unset.</summary>
    public string? DiscountAccount { get; set; }

    /// <summary>The company's sales-tax setup (<c>Connectors:QuickBooks:Tax</c>).</summary>
    public QuickBooksTaxOptions Tax { get; set; } = new();

    /// <summary>
    /// How long the company's setup read from QuickBooks (country, home currency, sales-tax preferences) is trusted before
    /// it is read again; it is checked against <see cref="Tax"/> and <c>Company:Currency</c> before every invoice.
    /// <value>The default value is 1 hour.</value>
    /// </summary>
    public TimeSpan CompanySetupLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>The per-call timeout. <value>The default value is 30 seconds (QuickBooks itself gives up after 120 s).</value></summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often a 5010 stale-object update is re-read and retried within one attempt. <value>The default value is 3.</value></summary>
    public int MaxStaleRetries { get; set; } = 3;

    /// <summary>Requests per minute the dispatcher's limiter allows. <value>The default value is <see cref="QuickBooksLimits.RequestsPerMinute"/>.</value></summary>
    public int RequestsPerMinute { get; set; } = QuickBooksLimits.RequestsPerMinute;

    /// <summary>Concurrent requests the dispatcher's limiter allows. <value>The default value is <see cref="QuickBooksLimits.MaxConcurrentRequests"/>.</value></summary>
    public int MaxConcurrentRequests { get; set; } = QuickBooksLimits.MaxConcurrentRequests;
}
