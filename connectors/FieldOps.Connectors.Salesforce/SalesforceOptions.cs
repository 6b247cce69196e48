using System.ComponentModel.DataAnnotations;

namespace FieldOps.Connectors.Salesforce;

/// <summary>
/// The Salesforce connector, bound from <c>Connectors:Salesforce</c>. Secrets (<see cref="ClientSecret"/>, the JWT
/// private key) come from the environment (<c>Connectors__Salesforce__ClientSecret</c>) or a file, never from
/// appsettings.json.
/// </summary>
public sealed class SalesforceOptions
{
    public const string SectionName = "Connectors:Salesforce";

    /// <summary>False turns the connector off without removing its section. <value>The default value is <c>true</c>.</value></summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// The token host: the org's My Domain URL (client credentials) or <c>https://login.salesforce.com</c> /
    /// <c>https://test.salesforce.com</c> (JWT bearer). <value>The default value is <c>https://login.salesforce.com</c>.</value>
    /// </summary>
    public Uri LoginUrl { get; set; } = new("https://login.salesforce.com");

    /// <summary>The REST API version in the URL, <c>vNN.0</c>. <value>The default value is <c>v68.0</c>.</value></summary>
    [RegularExpression(@"^v\d{2,3}\.0$", ErrorMessage = "Connectors:Salesforce:ApiVersion must look like v68.0.")]
    public string ApiVersion { get; set; } = "v68.0";

    /// <summary>The token flow. <value>The default value is <see cref="SalesforceAuthFlow.ClientCredentials"/>.</value></summary>
    public SalesforceAuthFlow AuthFlow { get; set; } = SalesforceAuthFlow.ClientCredentials;

    /// <summary>The app's consumer key.</summary>
    public string? ClientId { get; set; }

    /// <summary>The app's consumer secret (client credentials only). Set it through the environment.</summary>
    public string? ClientSecret { get; set; }

    /// <summary>The run-as user's username, the JWT <c>sub</c> (JWT bearer only).</summary>
    public string? Username { get; set; }

    /// <summary>The JWT <c>aud</c>. <value>The default value is <c>https://login.salesforce.com</c>.</value></summary>
    public string JwtAudience { get; set; } = "https://login.salesforce.com";

    /// <summary>Path of a PEM file holding the RSA private key that signs the JWT (JWT bearer; this or <see cref="PrivateKeyVariable"/>).</summary>
    public string? PrivateKeyPath { get; set; }

    /// <summary>Name of an environment variable holding the PEM private key (JWT bearer; this or <see cref="PrivateKeyPath"/>).</summary>
    public string? PrivateKeyVariable { get; set; }

    /// <summary>The timeout of one HTTP call. <value>The default value is 30 seconds.</value></summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long to hold after <c>REQUEST_LIMIT_EXCEEDED</c> for the rolling 24-hour allocation (Salesforce sends no
    /// Retry-After). <value>The default value is 15 minutes.</value>
    /// </summary>
    public TimeSpan RequestLimitWait { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How long to hold after <c>REQUEST_LIMIT_EXCEEDED</c> for concurrent long-running requests. <value>The default value is 20 seconds.</value></summary>
    public TimeSpan ConcurrentLimitWait { get; set; } = TimeSpan.FromSeconds(20);
}
