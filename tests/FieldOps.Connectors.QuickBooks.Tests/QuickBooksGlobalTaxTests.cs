using System.Text.Json.Nodes;
using FieldOps.Connectors.QuickBooks.Tests.Support;
using FieldOps.Integration.Core.Connectors;
using WireMock.Server;
using FieldOps.Integration.Testing.Vendors;
using FieldOps.Integration.Testing;

namespace FieldOps.Connectors.QuickBooks.Tests;

/// <summary>
/// Non-US tax (quickbooks-tax.md §3): every line a TaxCode id, <c>GlobalTaxCalculation</c>, and the job's tax as
/// <c>TxnTaxDetail.TaxLine[]</c> over the rates of the lines' codes (read from QuickBooks), each rate once — against a
/// Canadian company on WireMock that keeps tax lines it is sent and otherwise computes its own per rate.
/// </summary>
public sealed class QuickBooksGlobalTaxTests : IDisposable
{
    private const string Company = $"/v3/company/{QuickBooksTestHost.Realm}";
    private readonly WireMockServer _server = WireMockServer.Start();
    private QuickBooksTestHost? _host;

    private static readonly (string, string)[] Canadian =
    [
        ("Company:Currency", "CAD"), ("Connectors:QuickBooks:Tax:Mode", "Global"),
        ("Connectors:QuickBooks:Tax:Codes:TAX", "13"), ("Connectors:QuickBooks:Tax:Codes:NON", "9"),
        ("Connectors:QuickBooks:Tax:Codes:GST", "5"), ("Connectors:QuickBooks:Tax:Codes:QC", "14"),
        ("Connectors:QuickBooks:Items:Furnace service", "21"), ("Connectors:QuickBooks:Items:Igniter", "34"),
        ("Connectors:QuickBooks:Items:Trip charge", "35"),
    ];

    private QuickBooksTestHost Host(FakeInvoices? invoices = null, params (string Key, string Value)[] extra)
    {
        (invoices ?? new FakeInvoices { Company = FakeCompany.Canada }).Register(_server, Company);
        var settings = Canadian.ToDictionary(s => s.Item1, s => (string?)s.Item2);
        foreach (var (key, value) in extra)
            settings[key] = value; // a test's own setting wins
        return _host = new QuickBooksTestHost(_server, settings);
    }

    private static string Line(string item, decimal qty, decimal price, string tax) =>
        new JsonObject
        {
            ["DetailType"] = "SalesItemLineDetail", ["Amount"] = qty * price, ["Description"] = item,
            ["SalesItemLineDetail"] = new JsonObject
            {
                ["ItemRef"] = new JsonObject { ["name"] = item }, ["Qty"] = qty, ["UnitPrice"] = price,
                ["TaxCodeRef"] = new JsonObject { ["name"] = tax },
            },
        }.ToJsonString();

    private static OutboundOperation Invoice(string lines, decimal tax, decimal total, string key = "inv-1") =>
        Operations.QuickBooks(OperationNames.Create, "Invoice", key, $$$$"""
            {"fields": {"CustomerRef": {"value": "58"}, "DocNumber": "1042", "Line": [{{{{lines}}}}], "TxnTaxDetail": {"TotalTax": {{{{tax}}}}}},
             "params": {"total": {{{{total}}}}, "currency": "CAD"}}
            """, "job-" + key);

    [Fact]
    public async Task Create_HstGstAndExemptLines_JobTaxAsOneTaxLinePerRate_ExactBody()
    {
        var host = Host();
        var operation = Invoice(string.Join(",", Line("Furnace service", 1, 100m, "TAX"), Line("Igniter", 1, 20m, "GST"), Line("Trip charge", 1, 10m, "NON")),
            14.00m, 144.00m);

        var outcome = await host.Connector.DeliverAsync(operation, CancellationToken.None);

        Assert.Equal(OutcomeKind.Delivered, outcome.Kind);
        JsonAssert.Equal("""
            {"CustomerRef": {"value": "58"}, "DocNumber": "1042", "Line": [
              {"DetailType": "SalesItemLineDetail", "Amount": 100, "Description": "Furnace service",
               "SalesItemLineDetail": {"ItemRef": {"name": "Furnace service", "value": "21"}, "Qty": 1, "UnitPrice": 100, "TaxCodeRef": {"value": "13"}}},
              {"DetailType": "SalesItemLineDetail", "Amount": 20, "Description": "Igniter",
               "SalesItemLineDetail": {"ItemRef": {"name": "Igniter", "value": "34"}, "Qty": 1, "UnitPrice": 20, "TaxCodeRef": {"value": "5"}}},
              {"DetailType": "SalesItemLineDetail", "Amount": 10, "Description": "Trip charge",
               "SalesItemLineDetail": {"ItemRef": {"name": "Trip charge", "value": "35"}, "Qty": 1, "UnitPrice": 10, "TaxCodeRef": {"value": "9"}}}],
             "GlobalTaxCalculation": "TaxExcluded",
             "TxnTaxDetail": {"TotalTax": 14.00, "TaxLine": [
               {"Amount": 13.00, "DetailType": "TaxLineDetail",
                "TaxLineDetail": {"TaxRateRef": {"value": "17"}, "PercentBased": true, "TaxPercent": 13, "NetAmountTaxable": 100}},
               {"Amount": 1.00, "DetailType": "TaxLineDetail",
                "TaxLineDetail": {"TaxRateRef": {"value": "7"}, "PercentBased": true, "TaxPercent": 5, "NetAmountTaxable": 20}}]}}
            """, Assert.Single(_server.Calls("POST", "/invoice")).JsonBody());
    }

    [Fact]
    public async Task Create_JobTaxACentOffTheRates_SharedOverTheRates_LinesAddUpToTheJobsTax()
    {
        // The field-service product rounded per line: 14.01 where the rates give 14.00. The job's figure wins.
        var host = Host();
        var operation = Invoice(Line("Furnace service", 1, 100m, "TAX") + "," + Line("Igniter", 1, 20m, "GST"), 14.01m, 134.01m);

        var outcome = await host.Connector.DeliverAsync(operation, CancellationToken.None);

        Assert.Equal(OutcomeKind.Delivered, outcome.Kind);
        var taxLines = Assert.Single(_server.Calls("POST", "/invoice")).JsonBody()["TxnTaxDetail"]!["TaxLine"]!.AsArray();
        Assert.Equal([13.01m, 1.00m], taxLines.Select(l => l!["Amount"]!.GetValue<decimal>()));
    }

    [Fact]
    public async Task Create_GroupCodeWithTwoRates_OneTaxLineEach_SharedRateListedOnce()
    {
        // Quebec: GST/QST (5 % + 9.975 %) on the furnace, GST alone on the igniter: GST (rate 7) appears once, on 220.
        var host = Host();
        var operation = Invoice(Line("Furnace service", 1, 200m, "QC") + "," + Line("Igniter", 1, 20m, "GST"), 30.95m, 250.95m);

        var outcome = await host.Connector.DeliverAsync(operation, CancellationToken.None);

        Assert.Equal(OutcomeKind.Delivered, outcome.Kind);
        JsonAssert.Equal("""
            {"TotalTax": 30.95, "TaxLine": [
              {"Amount": 11.00, "DetailType": "TaxLineDetail",
               "TaxLineDetail": {"TaxRateRef": {"value": "7"}, "PercentBased": true, "TaxPercent": 5, "NetAmountTaxable": 220}},
              {"Amount": 19.95, "DetailType": "TaxLineDetail",
               "TaxLineDetail": {"TaxRateRef": {"value": "21"}, "PercentBased": true, "TaxPercent": 9.975, "NetAmountTaxable": 200}}]}
            """, Assert.Single(_server.Calls("POST", "/invoice")).JsonBody()["TxnTaxDetail"]!);
    }

    [Fact]
    public async Task Create_TwoInvoices_TaxCodesAndRatesReadOnce()
    {
        var host = Host();

        Assert.Equal(OutcomeKind.Delivered, (await host.Connector.DeliverAsync(Invoice(Line("Furnace service", 1, 100m, "TAX"), 13m, 113m), CancellationToken.None)).Kind);
        Assert.Equal(OutcomeKind.Delivered, (await host.Connector.DeliverAsync(Invoice(Line("Furnace service", 2, 100m, "TAX"), 26m, 226m, "inv-2"), CancellationToken.None)).Kind);

        Assert.Equal(2, _server.Calls("GET", "/query").Count); // one TaxCode query, one TaxRate query
    }

    [Fact]
    public async Task Create_JobHasTaxButEveryLineIsExempt_IsConfiguration_NothingCreated()
    {
        var host = Host();

        var outcome = await host.Connector.DeliverAsync(Invoice(Line("Trip charge", 1, 10m, "NON"), 1.30m, 11.30m), CancellationToken.None);

        Assert.Equal(OutcomeKind.Configuration, outcome.Kind);
        Assert.StartsWith("Invoice not created: the job carries 1.30 of tax but no line has a QuickBooks tax code with a rate above 0 % (TaxCode 9)", outcome.Message, StringComparison.Ordinal);
        Assert.Empty(_server.Calls("POST", "/invoice"));
    }

    [Fact]
    public async Task Create_TaxCodeIdNotInQuickBooks_IsConfigurationNamingIt()
    {
        var host = Host(null, ("Connectors:QuickBooks:Tax:Codes:TAX", "99"));

        var outcome = await host.Connector.DeliverAsync(Invoice(Line("Furnace service", 1, 100m, "TAX"), 13m, 113m), CancellationToken.None);

        Assert.Equal(OutcomeKind.Configuration, outcome.Kind);
        Assert.Contains("QuickBooks has no TaxCode 99 (named in Connectors:QuickBooks:Tax:Codes)", outcome.Message, StringComparison.Ordinal);
        Assert.Empty(_server.Calls("POST", "/invoice"));
    }

    [Theory]
    [InlineData("Connectors:QuickBooks:Tax:SendJobTax", "false")]
    [InlineData("Connectors:QuickBooks:Tax:GlobalTaxCalculation", "TaxInclusive")]
    public async Task Create_JobTaxNotKept_NoTxnTaxDetail_QuickBooksComputes(string key, string value)
    {
        var host = Host(null, (key, value));

        var outcome = await host.Connector.DeliverAsync(Invoice(Line("Furnace service", 1, 100m, "TAX"), 13m, 113m), CancellationToken.None);

        Assert.Equal(OutcomeKind.Delivered, outcome.Kind);
        Assert.Null(Assert.Single(_server.Calls("POST", "/invoice")).JsonBody()["TxnTaxDetail"]);
        Assert.Empty(_server.Calls("GET", "/query"));
    }

    [Fact]
    public async Task Create_TaxCodeTable_TaxableLinesOfAListedProductGetItsCode_NonTaxableStayNon()
    {
        var host = Host(null, ("Connectors:QuickBooks:Tax:ItemCodes:Igniter", "GST"));
        var operation = Invoice(string.Join(",", Line("Furnace service", 1, 100m, "TAX"), Line("Igniter", 1, 20m, "TAX"), Line("Igniter", 1, 20m, "NON")),
            14.00m, 154.00m);

        var outcome = await host.Connector.DeliverAsync(operation, CancellationToken.None);

        Assert.Equal(OutcomeKind.Delivered, outcome.Kind);
        var sent = Assert.Single(_server.Calls("POST", "/invoice")).JsonBody();
        Assert.Equal(["13", "5", "9"], sent["Line"]!.AsArray().Select(l => l!["SalesItemLineDetail"]!["TaxCodeRef"]!["value"]!.GetValue<string>()));
        Assert.Equal(["17", "7"], sent["TxnTaxDetail"]!["TaxLine"]!.AsArray().Select(l => l!["TaxLineDetail"]!["TaxRateRef"]!["value"]!.GetValue<string>()));
    }

    public void Dispose()
    {
        _host?.Dispose();
        _server.Stop();
    }
}
