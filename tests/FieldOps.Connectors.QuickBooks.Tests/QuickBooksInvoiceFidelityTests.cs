using System.Text.Json.Nodes;
using FieldOps.Connectors.QuickBooks.Tests.Support;
using FieldOps.Integration.Core.Connectors;
using WireMock.Matchers;
using WireMock.RequestBuilders;
using WireMock.Server;
using static FieldOps.Integration.Testing.VendorAnswers;
using FieldOps.Integration.Testing.Vendors;
using FieldOps.Integration.Testing;

namespace FieldOps.Connectors.QuickBooks.Tests;

/// <summary>
/// Invoice = job: items by table, name, fallback or creation; tax codes and TxnTaxDetail per tax setup; discounts;
/// and the total check after the create and before the send — against QuickBooks on WireMock adding invoices up.
/// </summary>
public sealed class QuickBooksInvoiceFidelityTests : IDisposable
{
    private const string Company = $"/v3/company/{QuickBooksTestHost.Realm}";
    private readonly WireMockServer _server = WireMockServer.Start();
    private QuickBooksTestHost? _host;

    private QuickBooksTestHost Host(FakeInvoices invoices, params (string Key, string Value)[] settings)
    {
        invoices.Register(_server, Company);
        return _host = new QuickBooksTestHost(_server, settings.ToDictionary(s => s.Key, s => (string?)s.Value));
    }

    /// <summary>An invoice as job-completed-quickbooks.yaml emits it: symbolic items and tax codes, the job's tax and total.</summary>
    private static OutboundOperation Invoice(string lines, string? tax, decimal total, string key = "inv-1", string currency = "USD")
    {
        var taxDetail = tax is null ? "" : $$$""", "TxnTaxDetail": {"TotalTax": {{{tax}}}}""";
        return Operations.QuickBooks(OperationNames.Create, "Invoice", key, $$$"""
            {"fields": {"CustomerRef": {"value": "58"}, "DocNumber": "1042", "Line": [{{{lines}}}]{{{taxDetail}}}},
             "params": {"total": {{{total}}}, "currency": "{{{currency}}}"}}
            """, "job-" + key);
    }

    private static string Line(string item, decimal qty, decimal price, string tax) =>
        new JsonObject
        {
            ["DetailType"] = "SalesItemLineDetail",
            ["Amount"] = qty * price,
            ["Description"] = item,
            ["SalesItemLineDetail"] = new JsonObject
            {
                ["ItemRef"] = new JsonObject { ["name"] = item },
                ["Qty"] = qty,
                ["UnitPrice"] = price,
                ["TaxCodeRef"] = new JsonObject { ["name"] = tax },
            },
        }.ToJsonString();

    private const string Discount = """
        {"DetailType": "DiscountLineDetail", "Amount": 25.00, "Description": "Loyalty", "DiscountLineDetail": {"PercentBased": false}}
        """;

    private static readonly (string, string)[] KnownItems =
    [
        ("Connectors:QuickBooks:Items:Furnace service", "21"), ("Connectors:QuickBooks:Items:Igniter", "34"),
        ("Connectors:QuickBooks:Items:Trip charge", "35"),
    ];

    [Fact]
    public async Task Create_UsAutomated_TaxableAndNonTaxableLinesDiscountAndZeroQuantity_SendsExactBodyAndDelivers()
    {
        var host = Host(new FakeInvoices(), [.. KnownItems, ("Connectors:QuickBooks:DiscountAccount", "86")]);
        var operation = Invoice(
            string.Join(",", Line("Furnace service", 1, 149.97m, "TAX"), Line("Trip charge", 1, 45m, "NON"), Line("Igniter", 0, 19.99m, "TAX"), Discount),
            "10.00", 179.97m);

        var outcome = await host.Connector.DeliverAsync(operation, CancellationToken.None);

        Assert.Equal(OutcomeKind.Delivered, outcome.Kind);
        var sent = Assert.Single(_server.Calls("POST", "/invoice")).JsonBody();
        JsonAssert.Equal("""
            {"CustomerRef": {"value": "58"}, "DocNumber": "1042", "Line": [
              {"DetailType": "SalesItemLineDetail", "Amount": 149.97, "Description": "Furnace service",
               "SalesItemLineDetail": {"ItemRef": {"name": "Furnace service", "value": "21"}, "Qty": 1, "UnitPrice": 149.97, "TaxCodeRef": {"value": "TAX"}}},
              {"DetailType": "SalesItemLineDetail", "Amount": 45, "Description": "Trip charge",
               "SalesItemLineDetail": {"ItemRef": {"name": "Trip charge", "value": "35"}, "Qty": 1, "UnitPrice": 45, "TaxCodeRef": {"value": "NON"}}},
              {"DetailType": "SalesItemLineDetail", "Amount": 0, "Description": "Igniter",
               "SalesItemLineDetail": {"ItemRef": {"name": "Igniter", "value": "34"}, "Qty": 0, "UnitPrice": 19.99, "TaxCodeRef": {"value": "TAX"}}},
              {"DetailType": "DiscountLineDetail", "Amount": 25.00, "Description": "Loyalty",
               "DiscountLineDetail": {"PercentBased": false, "DiscountAccountRef": {"value": "86"}}}],
             "TxnTaxDetail": {"TotalTax": 10.00}}
            """, sent);
    }

    [Fact]
    public async Task Create_UsManual_NamedTaxCodeBecomesTheTransactionCode_LinesStayTax()
    {
        var host = Host(new FakeInvoices { Company = new FakeCompany { PartnerTaxEnabled = false } }, [.. KnownItems, ("Connectors:QuickBooks:Tax:Mode", "UsManual"),
            ("Connectors:QuickBooks:Tax:TransactionCode", "2"), ("Connectors:QuickBooks:Tax:Codes:Denver", "7")]);

        var outcome = await host.Connector.DeliverAsync(Invoice(Line("Furnace service", 2, 100m, "Denver"), "17.30", 217.30m), CancellationToken.None);

        Assert.Equal(OutcomeKind.Delivered, outcome.Kind);
        var sent = Assert.Single(_server.Calls("POST", "/invoice")).JsonBody();
        Assert.Equal("TAX", sent["Line"]![0]!["SalesItemLineDetail"]!["TaxCodeRef"]!["value"]!.GetValue<string>());
        JsonAssert.Equal("""{"TotalTax": 17.30, "TxnTaxCodeRef": {"value": "7"}}""", sent["TxnTaxDetail"]!);
    }

    [Fact]
    public async Task Create_UsTwoTaxCodes_IsPermanentNamingBoth_NothingSent()
    {
        var host = Host(new FakeInvoices(), [.. KnownItems, ("Connectors:QuickBooks:Tax:Codes:Denver", "7"), ("Connectors:QuickBooks:Tax:Codes:Boulder", "8")]);

        var outcome = await host.Connector.DeliverAsync(
            Invoice(Line("Furnace service", 1, 100m, "Denver") + "," + Line("Igniter", 1, 20m, "Boulder"), "9.00", 129m), CancellationToken.None);

        Assert.Equal(OutcomeKind.Permanent, outcome.Kind);
        Assert.Contains("Boulder, Denver", outcome.Message, StringComparison.Ordinal);
        Assert.Empty(_server.Calls("POST", "/invoice"));
    }

    [Fact]
    public async Task Create_TotalDiffersFromTheJob_IsBusinessNamingBothFigures_AndTheSendIsRefused()
    {
        // An AST company that computes its own tax (8 %) and keeps no override: 100.00 + 8.00 ≠ the job's 107.25.
        var host = Host(new FakeInvoices { KeepsTaxOverride = false }, [.. KnownItems]);

        var outcome = await host.Connector.DeliverAsync(Invoice(Line("Furnace service", 1, 100m, "TAX"), "7.25", 107.25m), CancellationToken.None);

        Assert.Equal(OutcomeKind.Business, outcome.Kind);
        Assert.Equal("147", outcome.TargetId);
        Assert.Contains("totals 108.00 USD", outcome.Message, StringComparison.Ordinal);
        Assert.Contains("job totals 107.25 USD", outcome.Message, StringComparison.Ordinal);
        Assert.Contains("not sent", outcome.Message, StringComparison.Ordinal);

        var send = Operations.QuickBooks(OperationNames.Send, "Invoice", "send-1", """{"fields": {}, "params": {"id": "147", "total": 107.25, "currency": "USD"}}""");
        var refused = await host.Connector.DeliverAsync(send, CancellationToken.None);
        Assert.Equal(OutcomeKind.Business, refused.Kind);
        Assert.Empty(_server.Calls("POST", "/send"));
    }

    [Fact]
    public async Task CreateThenSend_TotalEqualsTheJob_Sends()
    {
        var host = Host(new FakeInvoices(), [.. KnownItems]);
        var created = await host.Connector.DeliverAsync(Invoice(Line("Furnace service", 1, 100m, "TAX"), "7.25", 107.25m), CancellationToken.None);
        Assert.Equal(OutcomeKind.Delivered, created.Kind);

        var send = Operations.QuickBooks(OperationNames.Send, "Invoice", "send-1",
            $$$"""{"fields": {}, "params": {"id": "{{{created.TargetId}}}", "total": 107.25, "currency": "USD"}}""");
        var sent = await host.Connector.DeliverAsync(send, CancellationToken.None);

        Assert.Equal(OutcomeKind.Delivered, sent.Kind);
        Assert.Single(_server.Calls("POST", "/send"));
    }

    [Fact]
    public async Task Create_InvoiceComesBackInAnotherCurrency_IsBusiness()
    {
        // The company keeps USD, but the invoice QuickBooks made is in EUR (e.g. the customer's currency): never sent.
        var host = Host(new FakeInvoices(), [.. KnownItems]);
        _server.Given(Request.Create().WithPath(Company + "/invoice").UsingPost()).RespondWith(JsonReply(200, """
            {"Invoice": {"Id": "151", "SyncToken": "0", "TotalAmt": 108.00, "CurrencyRef": {"value": "EUR"}}}
            """));
        var outcome = await host.Connector.DeliverAsync(Invoice(Line("Furnace service", 1, 100m, "TAX"), "8.00", 108m), CancellationToken.None);
        Assert.Equal(OutcomeKind.Business, outcome.Kind);
        Assert.Contains("is in EUR but the job is in USD", outcome.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_ItemNotInTableNorQuickBooks_FallbackItemIsBooked()
    {
        var host = Host(new FakeInvoices(), ("Connectors:QuickBooks:MissingItem", "Fallback"), ("Connectors:QuickBooks:FallbackItem", "1"));
        _server.Given(Request.Create().WithPath(Company + "/query").UsingGet()).RespondWith(JsonReply(200, """{"QueryResponse":{}}"""));

        var outcome = await host.Connector.DeliverAsync(Invoice(Line("Gas valve", 1, 80m, "TAX"), "6.40", 86.40m), CancellationToken.None);

        Assert.Equal(OutcomeKind.Delivered, outcome.Kind);
        JsonAssert.Equal("""{"value": "1"}""", Assert.Single(_server.Calls("POST", "/invoice")).JsonBody()["Line"]![0]!["SalesItemLineDetail"]!["ItemRef"]!);
    }

    [Fact]
    public async Task Create_MissingItemsCreated_OnceWithOurMarker_ThenReused()
    {
        var host = Host(new FakeInvoices(), ("Connectors:QuickBooks:MissingItem", "Create"), ("Connectors:QuickBooks:NewItemIncomeAccount", "79"));
        _server.Given(Request.Create().WithPath(Company + "/query").UsingGet()
            .WithParam("query", new ExactMatcher("select * from Item where Name = 'Gas valve'"))).RespondWith(JsonReply(200, """{"QueryResponse":{}}"""));
        _server.Given(Request.Create().WithPath(Company + "/item").UsingPost())
            .RespondWith(JsonReply(200, """{"Item":{"Id":"88","Name":"Gas valve","SyncToken":"0","Type":"Service"}}"""));

        Assert.Equal(OutcomeKind.Delivered, (await host.Connector.DeliverAsync(Invoice(Line("Gas valve", 1, 80m, "TAX"), "6.40", 86.40m), CancellationToken.None)).Kind);
        Assert.Equal(OutcomeKind.Delivered, (await host.Connector.DeliverAsync(Invoice(Line("Gas valve", 2, 80m, "TAX"), "12.80", 172.80m, "inv-2"), CancellationToken.None)).Kind);

        var item = Assert.Single(_server.Calls("POST", "/item")).JsonBody();
        JsonAssert.Equal("""{"Name": "Gas valve", "Type": "Service", "IncomeAccountRef": {"value": "79"}, "PurchaseDesc": "fieldops:item"}""", item);
        Assert.All(_server.Calls("POST", "/invoice"), i => Assert.Equal("88", i.JsonBody()["Line"]![0]!["SalesItemLineDetail"]!["ItemRef"]!["value"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Create_MissingItemDeadLetter_NamesTheItemAndTheTableKey()
    {
        var host = Host(new FakeInvoices());
        _server.Given(Request.Create().WithPath(Company + "/query").UsingGet()).RespondWith(JsonReply(200, """{"QueryResponse":{}}"""));

        var outcome = await host.Connector.DeliverAsync(Invoice(Line("Gas valve", 1, 80m, "TAX"), "6.40", 86.40m), CancellationToken.None);

        Assert.Equal(OutcomeKind.Permanent, outcome.Kind);
        Assert.Contains("'Gas valve'", outcome.Message, StringComparison.Ordinal);
        Assert.Contains("Connectors:QuickBooks:Items:Gas valve", outcome.Message, StringComparison.Ordinal);
        Assert.Empty(_server.Calls("POST", "/invoice"));
    }

    public void Dispose()
    {
        _host?.Dispose();
        _server.Stop();
    }
}
