using System.ComponentModel.DataAnnotations;

namespace FieldOps.Connectors.Jobber;

/// <summary>
/// The Jobber connector (the field-service product as a target), bound from <c>Connectors:Jobber</c>. It has no
/// secrets of its own: it borrows the OAuth connection of the Jobber source named <see cref="Source"/>
/// (<c>jobber:{Source}</c>), because Jobber rotates refresh tokens and one grant can feed only one chain of them.
/// </summary>
public sealed class JobberOptions
{
    public const string SectionName = "Connectors:Jobber";

    /// <summary>False turns the connector off without removing its section. <value>The default value is <c>true</c>.</value></summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// The API root; GraphQL is posted to <c>{BaseAddress}graphql</c>.
    /// <value>The default value is <c>https://api.getjobber.com/api/</c>.</value>
    /// </summary>
    [Required]
    public Uri BaseUrl { get; set; } = new("https://api.getjobber.com/api/");

    /// <summary>The required <c>X-JOBBER-GRAPHQL-VERSION</c> header. <value>The default value is <c>2025-04-16</c>.</value></summary>
    [Required]
    public string ApiVersion { get; set; } = "2025-04-16";

    /// <summary>
    /// The Jobber source (<c>Sources:{name}</c>, Kind <c>jobber</c>) whose OAuth connection the connector uses.
    /// <value>The default value is <c>jobber</c>.</value>
    /// </summary>
    [Required]
    public string Source { get; set; } = "jobber";

    /// <summary>The timeout of one HTTP call (a timeout is transient). <value>The default value is 30 seconds.</value></summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How many of a client's requests or a record's notes the effect check reads. <value>The default value is 50.</value></summary>
    [Range(1, 100)]
    public int LookupPageSize { get; set; } = 50;

    /// <summary>The credentials-store connection: <c>jobber:{Source}</c>.</summary>
    public string Connection => $"jobber:{Source}";
}
