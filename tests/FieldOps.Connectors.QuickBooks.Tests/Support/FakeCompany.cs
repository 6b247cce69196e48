using System.Text.Json.Nodes;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace FieldOps.Connectors.QuickBooks.Tests.Support;

/// <summary>
/// A QuickBooks company's own setup on WireMock, as <c>GET /companyinfo/{realm}</c> and <c>GET /preferences</c> answer
/// it (Finance.xsd <c>CompanyInfo</c>, <c>Preferences.TaxPrefs</c>, <c>Preferences.CurrencyPrefs</c>). Counts nothing
/// itself: tests read the calls from the server's log.
/// </summary>
internal sealed class FakeCompany
{
    /// <summary>Below a test's own stubs (0) and <see cref="FakeInvoices"/>' (100): the default every test host gets.</summary>
    public const int DefaultPriority = 200;

    public string CompanyName { get; init; } = "Whitfield Heating & Air";

    /// <summary><c>CompanyInfo.Country</c>; null leaves it out (the address is then read).</summary>
    public string? Country { get; init; } = "US";

    public string HomeCurrency { get; init; } = "USD";

    public bool MultiCurrencyEnabled { get; init; }

    public bool UsingSalesTax { get; init; } = true;

    /// <summary>Automated Sales Tax; null leaves the flag out (companies that predate AST).</summary>
    public bool? PartnerTaxEnabled { get; init; } = true;

    /// <summary>A Canadian company on GST/HST (no AST there).</summary>
    public static FakeCompany Canada => new() { CompanyName = "Maple Furnace Co.", Country = "CA", HomeCurrency = "CAD", PartnerTaxEnabled = null };

    public void Register(WireMockServer server, string company, int priority = 100)
    {
        ArgumentNullException.ThrowIfNull(server);
        var realm = company.Split('/')[^1];
        var country = Country is null ? "" : $"\"Country\": \"{Country}\", ";
        var partner = PartnerTaxEnabled is { } flag ? $", \"PartnerTaxEnabled\": {Flag(flag)}" : "";
        var info = JsonNode.Parse($$"""
            {"CompanyName": {{JsonValue.Create(CompanyName).ToJsonString()}}, {{country}}"CompanyAddr": {"City": "Denver", "Country": "{{Country ?? "US"}}"},
             "Id": "1", "SyncToken": "4"}
            """)!.AsObject();
        var preferences = JsonNode.Parse($$$"""
            {"TaxPrefs": {"UsingSalesTax": {{{Flag(UsingSalesTax)}}}{{{partner}}}},
             "CurrencyPrefs": {"MultiCurrencyEnabled": {{{Flag(MultiCurrencyEnabled)}}}, "HomeCurrency": {"value": "{{{HomeCurrency}}}"}},
             "Id": "1", "SyncToken": "9"}
            """)!.AsObject();
        server.Given(Request.Create().WithPath($"{company}/companyinfo/{realm}").UsingGet()).AtPriority(priority)
            .RespondWith(Json(new JsonObject { ["CompanyInfo"] = info, ["time"] = "2025-06-03T09:20:00.000-07:00" }));
        server.Given(Request.Create().WithPath($"{company}/preferences").UsingGet()).AtPriority(priority)
            .RespondWith(Json(new JsonObject { ["Preferences"] = preferences, ["time"] = "2025-06-03T09:20:00.000-07:00" }));
    }

    private static string Flag(bool value) => value ? "true" : "false";

    private static IResponseBuilder Json(JsonObject body) =>
        Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json").WithBody(body.ToJsonString());
}
