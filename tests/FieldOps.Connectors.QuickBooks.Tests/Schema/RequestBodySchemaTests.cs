using System.Text.Json.Nodes;
using FieldOps.Connectors.QuickBooks.Tests.Support;
using FieldOps.Integration.Core.Connectors;
using WireMock.RequestBuilders;
using WireMock.Server;
using static FieldOps.Integration.Testing.VendorAnswers;
using FieldOps.Integration.Testing;

namespace FieldOps.Connectors.QuickBooks.Tests.Schema;

/// <summary>The bodies the connector really sends, converted to XML and validated against Intuit's v3 XSDs.</summary>
public sealed class RequestBodySchemaTests : IDisposable
{
    private const string Company = $"/v3/company/{QuickBooksTestHost.Realm}";
    private readonly WireMockServer _server = WireMockServer.Start();
    private readonly QuickBooksTestHost _host;

    public RequestBodySchemaTests() => _host = new QuickBooksTestHost(_server);

    [QuickBooksSpecFact]
    public async Task CustomerCreateBody_MatchesTheXsd()
    {
        _server.Given(Request.Create().WithPath(Company + "/query").UsingGet()).RespondWith(JsonReply(200, """{"QueryResponse":{}}"""));
        _server.Given(Request.Create().WithPath(Company + "/customer").UsingPost()).RespondWith(FromFixture("customer-create.json"));
        var operation = Operations.QuickBooks(OperationNames.Upsert, "Customer", "CUST-1002", """
            {"fields": {"DisplayName": "Mission Bakery", "CompanyName": "Mission Bakery LLC",
                        "PrimaryEmailAddr": {"Address": "ops@missionbakery.com"}, "PrimaryPhone": {"FreeFormNumber": "(415) 555-0170"},
                        "BillAddr": {"Line1": "2400 Mission St", "City": "San Francisco", "CountrySubDivisionCode": "CA", "PostalCode": "94110"}},
             "params": {}}
            """, "1002");

        await _host.Connector.DeliverAsync(operation, CancellationToken.None);

        AssertValid("Customer", Assert.Single(_server.Calls("POST", "/customer")).JsonBody());
    }

    [QuickBooksSpecFact]
    public async Task InvoiceCreateBody_MatchesTheXsd()
    {
        _server.Given(Request.Create().WithPath(Company + "/invoice").UsingPost()).RespondWith(FromFixture("invoice-create-response.json"));

        await _host.Connector.DeliverAsync(Operations.CreateInvoice(), CancellationToken.None);

        AssertValid("Invoice", Assert.Single(_server.Calls("POST", "/invoice")).JsonBody());
    }

    [QuickBooksSpecFact]
    public async Task InvoiceSparseUpdateBody_MatchesTheXsd()
    {
        _server.Given(Request.Create().WithPath(Company + "/invoice/147").UsingGet()).RespondWith(FromFixture("invoice-create-response.json"));
        _server.Given(Request.Create().WithPath(Company + "/invoice").UsingPost()).RespondWith(FromFixture("invoice-sparse-update.json"));
        var update = Operations.QuickBooks(OperationNames.Update, "Invoice", "JOB-2024-0042-po",
            """{"fields": {"PrivateNote": "fs_job_id=JOB-2024-0042; PO 7781", "DueDate": "2025-07-10"}, "params": {"id": "147"}}""");

        await _host.Connector.DeliverAsync(update, CancellationToken.None);

        AssertValid("Invoice", Assert.Single(_server.Calls("POST", "/invoice")).JsonBody());
    }

    [QuickBooksSpecFact]
    public async Task CustomerSparseUpdateBody_MatchesTheXsd()
    {
        await _host.CrossReferences.SaveAsync("quickbooks", "Customer", "1002", "77", CancellationToken.None);
        _server.Given(Request.Create().WithPath(Company + "/customer/77").UsingGet())
            .RespondWith(JsonReply(200, """{"Customer":{"Id":"77","SyncToken":"4","DisplayName":"Old Name","Notes":"fieldops:1002"}}"""));
        _server.Given(Request.Create().WithPath(Company + "/customer").UsingPost()).RespondWith(JsonReply(200, """{"Customer":{"Id":"77","SyncToken":"5"}}"""));

        await _host.Connector.DeliverAsync(Operations.UpsertCustomer("1002", "Mission Bakery"), CancellationToken.None);

        AssertValid("Customer", Assert.Single(_server.Calls("POST", "/customer")).JsonBody());
    }

    [QuickBooksSpecFact]
    public void Validate_UnknownFieldOrWrongType_IsReported()
    {
        var unknown = JsonToSchemaXml.Validate("Customer", new JsonObject { ["DisplayName"] = "x", ["NotAQuickBooksField"] = 1 });
        var wrongType = JsonToSchemaXml.Validate("Invoice", JsonNode.Parse("""
            {"CustomerRef": {"value": "58"}, "Line": [{"DetailType": "SalesItemLineDetail", "Amount": "lots",
             "SalesItemLineDetail": {"ItemRef": {"value": "21"}}}]}
            """)!.AsObject());

        Assert.Contains(unknown, e => e.Contains("NotAQuickBooksField", StringComparison.Ordinal));
        Assert.Contains(wrongType, e => e.Contains("Amount", StringComparison.Ordinal));
    }

    private static void AssertValid(string entity, JsonObject body)
    {
        var errors = JsonToSchemaXml.Validate(entity, body);
        Assert.True(errors.Count == 0, $"{entity} body {body.ToJsonString()} breaks the XSD:\n" + string.Join("\n", errors));
    }

    public void Dispose()
    {
        _host.Dispose();
        _server.Stop();
    }
}
