namespace FieldOps.Connectors.HubSpot;

/// <summary>
/// The HubSpot connector, bound from <c>Connectors:HubSpot</c>. Secrets (<see cref="AccessToken"/>,
/// <see cref="ClientSecret"/>, <see cref="RefreshToken"/>) come from the environment
/// (<c>Connectors__HubSpot__AccessToken</c>), never from appsettings.json.
/// </summary>
public sealed class HubSpotOptions
{
    public const string SectionName = "Connectors:HubSpot";

    /// <summary>False turns the connector off without removing its section. <value>The default value is <c>true</c>.</value></summary>
    public bool Enabled { get; set; } = true;

    /// <summary>The API host. <value>The default value is <c>https://api.hubapi.com</c>.</value></summary>
    public Uri BaseUrl { get; set; } = new("https://api.hubapi.com");

    /// <summary>
    /// The objects path under <see cref="BaseUrl"/>: <c>crm/v3/objects</c>, or a date-versioned one such as
    /// <c>crm/objects/2026-03</c>. <value>The default value is <c>crm/v3/objects</c>.</value>
    /// </summary>
    public string ObjectsPath { get; set; } = "crm/v3/objects";

    /// <summary>How to authenticate. <value>The default value is <see cref="HubSpotAuthMode.PrivateApp"/>.</value></summary>
    public HubSpotAuthMode AuthMode { get; set; } = HubSpotAuthMode.PrivateApp;

    /// <summary>The private-app token (<c>pat-…</c>). Set it through <c>Connectors__HubSpot__AccessToken</c>.</summary>
    public string? AccessToken { get; set; }

    /// <summary>The OAuth app's client id.</summary>
    public string? ClientId { get; set; }

    /// <summary>The OAuth app's client secret. Set it through <c>Connectors__HubSpot__ClientSecret</c>.</summary>
    public string? ClientSecret { get; set; }

    /// <summary>An OAuth refresh token that seeds an empty credentials store (later ones are stored encrypted there).</summary>
    public string? RefreshToken { get; set; }

    /// <summary>The OAuth token endpoint. <value>The default value is <c>https://api.hubapi.com/oauth/v3/token</c>.</value></summary>
    public Uri TokenUrl { get; set; } = new("https://api.hubapi.com/oauth/v3/token");

    /// <summary>The ticket pipeline id. <value>The default value is <c>0</c> (the default Support pipeline).</value></summary>
    public string TicketPipelineId { get; set; } = "0";

    /// <summary>The stage a new ticket starts in when the flow names none. <value>The default value is <c>1</c>.</value></summary>
    public string OpenStageId { get; set; } = "1";

    /// <summary>The stage <c>stage: closed</c> moves a ticket to. <value>The default value is <c>4</c>.</value></summary>
    public string ClosedStageId { get; set; } = "4";

    /// <summary>The account's time zone (IANA id): the DAILY limit resets at its midnight. <value>The default value is <c>UTC</c>.</value></summary>
    public string AccountTimeZone { get; set; } = "UTC";

    /// <summary>The hold after a TEN_SECONDLY_ROLLING / SECONDLY 429 (HubSpot sends no Retry-After). <value>The default value is 10 seconds.</value></summary>
    public TimeSpan BurstWait { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The timeout of one HTTP call. <value>The default value is 30 seconds.</value></summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How far HubSpot's search trails its writes: a note whose answer was lost is looked for no sooner than this after
    /// the attempt, so the effect check does not miss a note that exists. <value>The default value is 10 seconds.</value>
    /// </summary>
    public TimeSpan SearchIndexLag { get; set; } = TimeSpan.FromSeconds(10);
}
