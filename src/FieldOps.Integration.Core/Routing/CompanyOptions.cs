using System.Text.Json;

namespace FieldOps.Integration.Core.Routing;

/// <summary>
/// The business's own settings (the <c>Company</c> section) that mappings read as <c>$company</c> —
/// <c>$company.timeZone</c>, <c>$company.currency</c> — so that no shipped flow carries a business constant.
/// </summary>
public sealed class CompanyOptions
{
    public const string SectionName = "Company";

    /// <summary>
    /// The IANA time zone the business works in: dates on invoices and timesheets are its local dates.
    /// <value>The default value is <c>UTC</c>.</value>
    /// </summary>
    public string TimeZone { get; set; } = "UTC";

    /// <summary>
    /// The ISO 4217 currency of the field-service account (Jobber amounts carry none); targets in another currency
    /// refuse the record. <value>The default value is <c>USD</c>.</value>
    /// </summary>
    public string Currency { get; set; } = "USD";

    /// <summary>The settings as the mappings see them: <c>{"timeZone": …, "currency": …}</c>.</summary>
    public JsonElement ToJson() => JsonSerializer.SerializeToElement(new Dictionary<string, string>
    {
        ["timeZone"] = TimeZone,
        ["currency"] = Currency,
    });
}
