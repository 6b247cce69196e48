using System.ComponentModel.DataAnnotations;

namespace FieldOps.Sources.Salesforce;

/// <summary>The Salesforce poll settings of every source, by name (the <c>Sources</c> section; only <c>Poll</c> is read).</summary>
public sealed class SalesforceSourcesOptions : Dictionary<string, SalesforceSourceOptions>
{
    public const string SectionName = "Sources";

    public SalesforceSourcesOptions() : base(StringComparer.OrdinalIgnoreCase) { }
}

/// <summary>One source's Salesforce settings (<c>Sources:{name}</c>).</summary>
public sealed class SalesforceSourceOptions
{
    /// <summary>The External Client App's consumer key (client-credentials flow).</summary>
    public string? ClientId { get; set; }

    /// <summary>The token URL: your My Domain's <c>/services/oauth2/token</c>.</summary>
    public Uri? TokenUrl { get; set; }

    public SalesforcePollOptions Poll { get; set; } = new();
}

/// <summary>
/// How a Salesforce object is polled through SOQL (<c>Sources:{name}:Poll</c> with <c>Adapter: salesforce</c>): records whose
/// <c>SystemModstamp</c> is at or after the watermark minus <see cref="Overlap"/>, in (SystemModstamp, Id) order, one
/// page of <see cref="PageSize"/> at a time, each page resuming after the last (SystemModstamp, Id) pair of the one before.
/// </summary>
public sealed class SalesforcePollOptions
{
    /// <summary>The sObject. <value>The default value is <c>Case</c>.</value></summary>
    [Required]
    public string Object { get; set; } = "Case";

    /// <summary>
    /// The fields to select (<c>Id</c> and <c>SystemModstamp</c> are always added).
    /// <value>The default value is the Case fields the <c>salesforce</c> profile reads.</value>
    /// </summary>
    public List<string> Fields { get; set; } = [];

    /// <summary>An extra SOQL condition, e.g. <c>Origin = 'Field Service'</c>. <value>The default value is none.</value></summary>
    public string? Where { get; set; }

    /// <summary>Records per page (the SOQL <c>LIMIT</c>). <value>The default value is 200.</value></summary>
    [Range(1, 2000)]
    public int PageSize { get; set; } = 200;

    /// <summary>
    /// How far before the watermark each sweep starts again: a record whose transaction committed after a later one
    /// was read still carries its earlier SystemModstamp. Re-read records are duplicates and add nothing.
    /// <value>The default value is 2 minutes.</value>
    /// </summary>
    public TimeSpan Overlap { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>The REST API version. <value>The default value is <c>v62.0</c>.</value></summary>
    [Required]
    public string ApiVersion { get; set; } = "v62.0";

    /// <summary>The topic a polled change stands for. <value>The default value is <c>changed</c>.</value></summary>
    public string Topic { get; set; } = "changed";

    /// <summary>The timeout of one call. <value>The default value is 30 seconds.</value></summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The default fields for a Case.</summary>
    public static readonly IReadOnlyList<string> DefaultCaseFields =
    [
        "CaseNumber", "Subject", "Description", "Priority", "Status", "Origin", "CreatedDate", "LastModifiedById",
        "FS_Jobber_Request_Id__c", "Contact.Email", "Contact.FirstName", "Contact.LastName", "Contact.Phone", "Account.Name",
    ];
}
