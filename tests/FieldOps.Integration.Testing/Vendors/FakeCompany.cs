using System.Text.Json.Nodes;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace FieldOps.Integration.Testing.Vendors;

/// <summary>
/// A QuickBooks company's own setup on WireMock, as <c>GET /companyinfo/{realm}</c> and <c>GET /preferences</c> answer
/// it (Finance.xsd <c>CompanyInfo</c>, <c>Preferences.TaxPrefs</c>, <c>Preferences.CurrencyPrefs</c>). Counts nothing
/// itself: tests read the calls from the server's log.
/// </summary>
public sealed class FakeCompany
{
    /// <summary>Below a test's own stubs (0) and <see cref="FakeInvoices"/>' (100): the default every test host gets.</summary>
    public const int DefaultPriority = 200;

    /// <summary>The realm (company id) the tests' QuickBooks connections are configured with.</summary>
    public const string Realm = "9341453140251234";

    public string CompanyName { get; init; } = "Whitfield Heating & Air";

    /// <summary><c>CompanyInfo.Country</c>; null leaves it out (the address is then read).</summary>
    public string? Country { get; init; } = "US";

    public string HomeCurrency { get; init; } = "USD";

    public bool MultiCurrencyEnabled { get; init; }

    public bool UsingSalesTax { get; init; } = true;

    /// <summary>Automated Sales Tax; null leaves the flag out (companies that predate AST).</summary>
    public bool? PartnerTaxEnabled { get; init; } = true;

    /// <summary>Tax codes by id: their sales rate ids (<c>SalesTaxRateList</c>), answered to <c>select * from TaxCode where Id in (…)</c>.</summary>
    public IReadOnlyDictionary<string, string[]> TaxCodes { get; init; } = new Dictionary<string, string[]>();

    /// <summary>Tax rates by id: their <c>RateValue</c> in percent.</summary>
    public IReadOnlyDictionary<string, decimal> TaxRates { get; init; } = new Dictionary<string, decimal>();

    /// <summary>
    /// A Canadian company on GST/HST (no AST there): codes 5 GST (rate 7, 5 %), 13 HST ON (rate 17, 13 %), 9 Exempt
    /// (rate 8, 0 %) and 14 GST/QST QC (rates 7 and 21, 5 % + 9.975 %).
    /// </summary>
    public static FakeCompany Canada => new()
    {
        CompanyName = "Maple Furnace Co.", Country = "CA", HomeCurrency = "CAD", PartnerTaxEnabled = null,
        TaxCodes = new Dictionary<string, string[]> { ["5"] = ["7"], ["13"] = ["17"], ["9"] = ["8"], ["14"] = ["7", "21"] },
        TaxRates = new Dictionary<string, decimal> { ["7"] = 5m, ["17"] = 13m, ["8"] = 0m, ["21"] = 9.975m },
    };

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
        server.Given(Request.Create().WithPath($"{company}/query").UsingGet()
                .WithParam("query", new WireMock.Matchers.WildcardMatcher("select * from TaxCode where Id in (*)"))).AtPriority(priority)
            .RespondWith(Response.Create().WithCallback(r => Query(r, "TaxCode", id => TaxCodes.TryGetValue(id, out var rates)
                ? new JsonObject
                {
                    ["Id"] = id, ["Name"] = "Code " + id, ["Taxable"] = true,
                    ["SalesTaxRateList"] = new JsonObject
                    {
                        ["TaxRateDetail"] = new JsonArray([.. rates.Select(rate => (JsonNode)new JsonObject
                        {
                            ["TaxRateRef"] = new JsonObject { ["value"] = rate }, ["TaxTypeApplicable"] = "TaxOnAmount", ["TaxOrder"] = 0,
                        })]),
                    },
                }
                : null)));
        server.Given(Request.Create().WithPath($"{company}/query").UsingGet()
                .WithParam("query", new WireMock.Matchers.WildcardMatcher("select * from TaxRate where Id in (*)"))).AtPriority(priority)
            .RespondWith(Response.Create().WithCallback(r => Query(r, "TaxRate", id => TaxRates.TryGetValue(id, out var value)
                ? new JsonObject { ["Id"] = id, ["Name"] = "Rate " + id, ["RateValue"] = value, ["Active"] = true }
                : null)));
    }

    /// <summary>The tax the company computes itself: per rate, round(net at that rate × rate), half up (quickbooks-tax.md §4).</summary>
    public decimal ComputeTax(IEnumerable<(string Code, decimal Amount)> lines)
    {
        var net = new Dictionary<string, decimal>(StringComparer.Ordinal);
        foreach (var (code, amount) in lines)
        {
            foreach (var rate in TaxCodes.TryGetValue(code, out var rates) ? rates : [])
                net[rate] = net.GetValueOrDefault(rate) + amount;
        }
        return net.Sum(n => Math.Round(n.Value * TaxRates[n.Key] / 100m, 2, MidpointRounding.AwayFromZero));
    }

    private static WireMock.ResponseMessage Query(WireMock.IRequestMessage request, string entity, Func<string, JsonObject?> find)
    {
        var query = request.Query!["query"].First();
        var ids = System.Text.RegularExpressions.Regex.Matches(query, "'([^']*)'").Select(m => m.Groups[1].Value);
        var found = new JsonArray([.. ids.Select(find).OfType<JsonObject>()]);
        var body = new JsonObject { ["QueryResponse"] = found.Count == 0 ? new JsonObject() : new JsonObject { [entity] = found }, ["time"] = "2025-06-03T09:20:00.000-07:00" };
        return new WireMock.ResponseMessage
        {
            StatusCode = 200,
            Headers = new Dictionary<string, WireMock.Types.WireMockList<string>> { ["Content-Type"] = new("application/json") },
            BodyData = new WireMock.Util.BodyData { BodyAsString = body.ToJsonString(), DetectedBodyType = WireMock.Types.BodyType.String },
        };
    }

    private static string Flag(bool value) => value ? "true" : "false";

    private static IResponseBuilder Json(JsonObject body) =>
        Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json").WithBody(body.ToJsonString());
}
