using FieldOps.Connectors.QuickBooks.Tests.Support;
using FieldOps.Integration.Core.Connectors;
using FieldOps.Integration.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using WireMock.Server;
using FieldOps.Integration.Testing.Vendors;

namespace FieldOps.Connectors.QuickBooks.Tests;

/// <summary>
/// The company's own setup read from QuickBooks (CompanyInfo, Preferences) and checked against the configuration
/// before anything is created for an invoice; a mismatch is a <c>Configuration</c> dead letter naming both values, a
/// Degraded readiness check and a failed <c>fieldops connectors check</c> step.
/// </summary>
public sealed class QuickBooksCompanySetupTests : IDisposable
{
    private const string Company = $"/v3/company/{QuickBooksTestHost.Realm}";
    private readonly WireMockServer _server = WireMockServer.Start();
    private QuickBooksTestHost? _host;

    private QuickBooksTestHost Host(FakeCompany company, params (string Key, string Value)[] settings)
    {
        new FakeInvoices { Company = company }.Register(_server, Company);
        return _host = new QuickBooksTestHost(_server, settings.ToDictionary(s => s.Key, s => (string?)s.Value));
    }

    private static OutboundOperation Invoice(string currency = "USD", string key = "inv-1") =>
        Operations.QuickBooks(OperationNames.Create, "Invoice", key, $$$$"""
            {"fields": {"CustomerRef": {"value": "58"}, "Line": [{"DetailType": "SalesItemLineDetail", "Amount": 100,
               "SalesItemLineDetail": {"ItemRef": {"name": "Furnace service"}, "Qty": 1, "UnitPrice": 100, "TaxCodeRef": {"name": "TAX"}}}],
              "TxnTaxDetail": {"TotalTax": 8.00}},
             "params": {"total": 108.00, "currency": "{{{{currency}}}}"}}
            """, "job-" + key);

    private static readonly (string, string) FurnaceItem = ("Connectors:QuickBooks:Items:Furnace service", "21");

    [Fact]
    public async Task Create_CompanyIsCanadianButTaxModeIsUsAutomated_IsConfigurationNamingBoth_NothingCreated()
    {
        var host = Host(FakeCompany.Canada, FurnaceItem, ("Company:Currency", "CAD"));

        var outcome = await host.Connector.DeliverAsync(Invoice("CAD"), CancellationToken.None);

        Assert.Equal(OutcomeKind.Configuration, outcome.Kind);
        Assert.Equal(
            "Connectors:QuickBooks:Tax:Mode is UsAutomated, but QuickBooks company 'Maple Furnace Co.' (realm 9341453140251234) is set up for " +
            "Global (CompanyInfo.Country CA, Preferences.TaxPrefs.UsingSalesTax true, PartnerTaxEnabled (absent)). " +
            "Nothing was created in QuickBooks: make the configuration (or the company) match, then replay.", outcome.Message);
        Assert.Empty(_server.Calls("POST", "/invoice"));
        Assert.Empty(_server.Calls("GET", "/query")); // not even an item looked up
    }

    [Fact]
    public async Task Create_UsCompanyOnManualSalesTax_TaxModeUsAutomated_IsConfigurationNamingUsManual()
    {
        var host = Host(new FakeCompany { PartnerTaxEnabled = false }, FurnaceItem);

        var outcome = await host.Connector.DeliverAsync(Invoice(), CancellationToken.None);

        Assert.Equal(OutcomeKind.Configuration, outcome.Kind);
        Assert.Contains("Tax:Mode is UsAutomated, but QuickBooks company 'Whitfield Heating & Air' (realm 9341453140251234) is set up for UsManual", outcome.Message, StringComparison.Ordinal);
        Assert.Contains("PartnerTaxEnabled false", outcome.Message, StringComparison.Ordinal);
        Assert.Empty(_server.Calls("POST", "/invoice"));
    }

    [Fact]
    public async Task Create_SalesTaxOffInQuickBooks_TaxModeUsAutomated_IsConfigurationNamingNone()
    {
        var host = Host(new FakeCompany { UsingSalesTax = false }, FurnaceItem);

        var outcome = await host.Connector.DeliverAsync(Invoice(), CancellationToken.None);

        Assert.Equal(OutcomeKind.Configuration, outcome.Kind);
        Assert.Contains("is set up for None (CompanyInfo.Country US, Preferences.TaxPrefs.UsingSalesTax false", outcome.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_PreAstUsCompanyWithoutTheFlag_EitherUsModeIsAccepted()
    {
        var host = Host(new FakeCompany { PartnerTaxEnabled = null }, FurnaceItem, ("Connectors:QuickBooks:Tax:Mode", "UsManual"),
            ("Connectors:QuickBooks:Tax:TransactionCode", "2"));

        Assert.Equal(OutcomeKind.Delivered, (await host.Connector.DeliverAsync(Invoice(), CancellationToken.None)).Kind);
    }

    [Fact]
    public async Task Create_JobCurrencyIsNotTheHomeCurrency_MultiCurrencyOff_IsConfigurationNamingBoth_NothingCreated()
    {
        var host = Host(new FakeCompany { HomeCurrency = "CAD", CompanyName = "Maple Furnace Co." }, FurnaceItem);

        var outcome = await host.Connector.DeliverAsync(Invoice("USD"), CancellationToken.None);

        Assert.Equal(OutcomeKind.Configuration, outcome.Kind);
        Assert.StartsWith(
            "The job's currency is USD, but QuickBooks company 'Maple Furnace Co.' (realm 9341453140251234) keeps its books in CAD " +
            "(Preferences.CurrencyPrefs.HomeCurrency) and multi-currency is off.", outcome.Message, StringComparison.Ordinal);
        Assert.Empty(_server.Calls("POST", "/invoice"));
    }

    [Fact]
    public async Task Create_MultiCurrencyCompany_InvoiceCarriesTheJobsCurrency()
    {
        var host = Host(new FakeCompany { HomeCurrency = "CAD", MultiCurrencyEnabled = true }, FurnaceItem);

        var outcome = await host.Connector.DeliverAsync(Invoice("USD"), CancellationToken.None);

        Assert.Equal(OutcomeKind.Delivered, outcome.Kind);
        JsonAssert.Equal("""{"value": "USD"}""", Assert.Single(_server.Calls("POST", "/invoice")).JsonBody()["CurrencyRef"]!);
    }

    [Fact]
    public async Task Create_ThreeInvoices_ReadTheCompanySetupOnce()
    {
        var host = Host(new FakeCompany(), FurnaceItem);

        foreach (var key in new[] { "inv-1", "inv-2", "inv-3" })
            Assert.Equal(OutcomeKind.Delivered, (await host.Connector.DeliverAsync(Invoice(key: key), CancellationToken.None)).Kind);

        Assert.Single(_server.Calls("GET", "/companyinfo/" + QuickBooksTestHost.Realm));
        Assert.Single(_server.Calls("GET", "/preferences"));
        Assert.Equal(3, _server.Calls("POST", "/invoice").Count);
    }

    [Fact]
    public async Task Readiness_SetupDiffers_IsDegradedNamingBothValues_MatchingIsHealthy()
    {
        var mismatched = Host(FakeCompany.Canada, ("Company:Currency", "USD"));
        var report = await mismatched.Services.GetRequiredService<HealthCheckService>()
            .CheckHealthAsync(r => r.Name == "quickbooks-company", CancellationToken.None);
        var entry = report.Entries["quickbooks-company"];
        Assert.Equal(HealthStatus.Degraded, entry.Status);
        Assert.Contains("Tax:Mode is UsAutomated, but QuickBooks company 'Maple Furnace Co.'", entry.Description, StringComparison.Ordinal);
        Assert.Contains("Company:Currency is USD, but QuickBooks company 'Maple Furnace Co.' (realm 9341453140251234) keeps its books in CAD", entry.Description, StringComparison.Ordinal);
        Assert.EndsWith("invoices are dead-lettered as Configuration until they match", entry.Description, StringComparison.Ordinal);

        mismatched.Dispose();
        var matching = Host(FakeCompany.Canada, ("Company:Currency", "CAD"), ("Connectors:QuickBooks:Tax:Mode", "Global"),
            ("Connectors:QuickBooks:Tax:Codes:TAX", "5"), ("Connectors:QuickBooks:Tax:Codes:NON", "9"));
        var healthy = (await matching.Services.GetRequiredService<HealthCheckService>()
            .CheckHealthAsync(r => r.Name == "quickbooks-company", CancellationToken.None)).Entries["quickbooks-company"];
        Assert.Equal(HealthStatus.Healthy, healthy.Status);
        Assert.Contains("matches Tax:Mode Global and currency CAD", healthy.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Readiness_QuickBooksCannotBeAsked_StaysHealthySayingNotVerified_AndAsksAgainOnlyAfterAMinute()
    {
        _server.Given(WireMock.RequestBuilders.Request.Create().WithPath(Company + "/companyinfo/" + QuickBooksTestHost.Realm).UsingGet())
            .RespondWith(VendorAnswers.JsonReply(503, """{"Fault":{"Error":[{"Message":"Service unavailable","code":"10000"}],"type":"SystemFault"}}"""));
        var host = Host(new FakeCompany());
        var health = host.Services.GetRequiredService<HealthCheckService>();

        var first = (await health.CheckHealthAsync(r => r.Name == "quickbooks-company", CancellationToken.None)).Entries["quickbooks-company"];
        var second = (await health.CheckHealthAsync(r => r.Name == "quickbooks-company", CancellationToken.None)).Entries["quickbooks-company"];

        Assert.Equal(HealthStatus.Healthy, first.Status);
        Assert.StartsWith("company setup not verified yet: QuickBooks", first.Description, StringComparison.Ordinal);
        Assert.Equal(first.Description, second.Description);
        Assert.Single(_server.Calls("GET", "/companyinfo/" + QuickBooksTestHost.Realm));
    }

    [Fact]
    public async Task ConnectionCheck_SetupDiffers_SetupStepFailsNamingBoth()
    {
        var host = Host(FakeCompany.Canada);
        var check = host.Services.GetServices<IConnectionCheck>().Single(c => c.Name == "quickbooks");

        var steps = await check.CheckAsync(CancellationToken.None);

        Assert.Equal(["token", "read", "setup"], steps.Select(s => s.What));
        Assert.True(steps[1].Ok, steps[1].Detail);
        Assert.False(steps[2].Ok);
        Assert.Contains("Tax:Mode is UsAutomated", steps[2].Detail, StringComparison.Ordinal);
        Assert.Contains("Company:Currency is USD", steps[2].Detail, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        _host?.Dispose();
        _server.Stop();
    }
}
