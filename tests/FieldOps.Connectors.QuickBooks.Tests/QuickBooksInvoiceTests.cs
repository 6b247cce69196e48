using FieldOps.Connectors.QuickBooks.Tests.Support;
using FieldOps.Integration.Core.Connectors;
using WireMock.Matchers;
using WireMock.RequestBuilders;
using WireMock.Server;
using static FieldOps.Integration.Testing.VendorAnswers;
using FieldOps.Integration.Testing;

namespace FieldOps.Connectors.QuickBooks.Tests;

public sealed class QuickBooksInvoiceTests : IDisposable
{
    private const string Company = $"/v3/company/{QuickBooksTestHost.Realm}";
    private readonly WireMockServer _server = WireMockServer.Start();
    private QuickBooksTestHost? _host;

    private QuickBooksTestHost Host(IDictionary<string, string?>? extra = null) => _host ??= new QuickBooksTestHost(_server, extra);

    [Fact]
    public async Task Create_WhenFirstResponseIsLost_RetryCarriesTheSameRequestId()
    {
        var host = Host();
        _server.Given(Request.Create().WithPath(Company + "/invoice").UsingPost()).InScenario("lost").WillSetStateTo("answered")
            .RespondWith(WireMock.ResponseBuilders.Response.Create().WithFault(WireMock.ResponseBuilders.FaultType.MALFORMED_RESPONSE_CHUNK));
        _server.Given(Request.Create().WithPath(Company + "/invoice").UsingPost()).InScenario("lost").WhenStateIs("answered")
            .RespondWith(FromFixture("invoice-create-response.json"));

        // QuickBooks created the invoice but the response is lost on the way: the dispatcher retries.
        DeliveryOutcome? first = null;
        try
        {
            first = await host.Connector.DeliverAsync(Operations.CreateInvoice(), CancellationToken.None);
        }
        catch (Refit.ApiRequestException)
        {
            // escapes to the dispatcher, which counts it as transient
        }
        Assert.NotEqual(OutcomeKind.Delivered, first?.Kind);
        var outcome = await host.Connector.DeliverAsync(Operations.CreateInvoice() with { Attempt = 2 }, CancellationToken.None);

        Assert.Equal("147", outcome.TargetId);
        var posts = _server.Calls("POST", "/invoice");
        Assert.Equal(2, posts.Count);
        Assert.Equal(posts[0].QueryParam("requestid"), posts[1].QueryParam("requestid"));
    }

    [Fact]
    public async Task Create_WithItemsNamedOnly_ResolvesFromConfigurationThenQueryOnce()
    {
        var host = Host(new Dictionary<string, string?> { ["Connectors:QuickBooks:Items:Field Labor"] = "21" });
        _server.Given(Request.Create().WithPath(Company + "/query").UsingGet()
                .WithParam("query", new ExactMatcher("select * from Item where Name = 'Water Heater 50gal'")))
            .RespondWith(JsonReply(200, """{"QueryResponse":{"Item":[{"Id":"34","Name":"Water Heater 50gal","SyncToken":"0"}]}}"""));
        _server.Given(Request.Create().WithPath(Company + "/invoice").UsingPost()).RespondWith(FromFixture("invoice-create-response.json"));
        var operation = WithItemNamesOnly(Operations.CreateInvoice());

        await host.Connector.DeliverAsync(operation, CancellationToken.None);
        var outcome = await host.Connector.DeliverAsync(operation, CancellationToken.None);

        Assert.Equal(OutcomeKind.Delivered, outcome.Kind);
        var lines = _server.Calls("POST", "/invoice")[1].JsonBody()["Line"]!.AsArray();
        Assert.Equal("21", lines[0]!["SalesItemLineDetail"]!["ItemRef"]!["value"]!.GetValue<string>());
        Assert.Equal("34", lines[1]!["SalesItemLineDetail"]!["ItemRef"]!["value"]!.GetValue<string>());
        Assert.Single(_server.Calls("GET", "/query"));
    }

    [Fact]
    public async Task Create_WhenItemUnknown_ReturnsPermanentNamingTheItem()
    {
        var host = Host();
        _server.Given(Request.Create().WithPath(Company + "/query").UsingGet()).RespondWith(JsonReply(200, """{"QueryResponse":{}}"""));

        var outcome = await host.Connector.DeliverAsync(WithItemNamesOnly(Operations.CreateInvoice()), CancellationToken.None);

        Assert.Equal(OutcomeKind.Permanent, outcome.Kind);
        Assert.Contains("Field Labor", outcome.Message, StringComparison.Ordinal);
        Assert.Empty(_server.Calls("POST", "/invoice"));
    }

    [Theory]
    [InlineData("6000", "ValidationFault", OutcomeKind.Permanent)]
    [InlineData("3001", "SERVICE", OutcomeKind.Throttled)]
    [InlineData("5010", "ValidationFault", OutcomeKind.Conflict)]
    [InlineData("10000", "SystemFault", OutcomeKind.Transient)]
    [InlineData("3100", "AuthorizationFault", OutcomeKind.ConnectionBroken)]
    public async Task Create_OnFaultInsideHttp200_ClassifiesByCode(string code, string type, OutcomeKind expected)
    {
        var host = Host();
        _server.Given(Request.Create().WithPath(Company + "/invoice").UsingPost()).RespondWith(JsonReply(200,
            $$"""{"Fault":{"Error":[{"Message":"A business validation error has occurred","Detail":"detail {{code}}","code":"{{code}}"}],"type":"{{type}}"},"time":"2025-06-03T09:22:10.902-07:00"}"""));

        var outcome = await host.Connector.DeliverAsync(Operations.CreateInvoice(), CancellationToken.None);

        Assert.Equal(expected, outcome.Kind);
        Assert.Contains($"detail {code}", outcome.Message, StringComparison.Ordinal);
        Assert.Equal(200, outcome.StatusCode);
    }

    [Fact]
    public async Task Update_OnStaleObject_RereadsAndRetriesWithTheFreshSyncToken()
    {
        var host = Host();
        _server.Given(Request.Create().WithPath(Company + "/invoice/147").UsingGet()).InScenario("read").WillSetStateTo("second")
            .RespondWith(JsonReply(200, """{"Invoice":{"Id":"147","SyncToken":"0"}}"""));
        _server.Given(Request.Create().WithPath(Company + "/invoice/147").UsingGet()).InScenario("read").WhenStateIs("second")
            .RespondWith(JsonReply(200, """{"Invoice":{"Id":"147","SyncToken":"1"}}"""));
        _server.Given(Request.Create().WithPath(Company + "/invoice").UsingPost()).InScenario("write").WillSetStateTo("fresh")
            .RespondWith(FromFixture("fault-stale-object.json"));
        _server.Given(Request.Create().WithPath(Company + "/invoice").UsingPost()).InScenario("write").WhenStateIs("fresh")
            .RespondWith(FromFixture("invoice-sparse-update.json"));

        var outcome = await host.Connector.DeliverAsync(UpdateInvoice(), CancellationToken.None);

        Assert.Equal(OutcomeKind.Delivered, outcome.Kind);
        Assert.Equal("147", outcome.TargetId);
        var writes = _server.Calls("POST", "/invoice");
        Assert.Equal(2, writes.Count);
        Assert.Equal("1", writes[1].JsonBody()["SyncToken"]!.GetValue<string>());
        Assert.True(writes[1].JsonBody()["sparse"]!.GetValue<bool>());
        Assert.Equal("fs_job_id=JOB-2024-0042; PO 7781", writes[1].JsonBody()["PrivateNote"]!.GetValue<string>());
        Assert.NotEqual(writes[0].QueryParam("requestid"), writes[1].QueryParam("requestid"));
    }

    [Fact]
    public async Task Update_WhenStaleEveryTime_ReturnsConflictAfterTheBound()
    {
        var host = Host(new Dictionary<string, string?> { ["Connectors:QuickBooks:MaxStaleRetries"] = "2" });
        _server.Given(Request.Create().WithPath(Company + "/invoice/147").UsingGet()).RespondWith(JsonReply(200, """{"Invoice":{"Id":"147","SyncToken":"0"}}"""));
        _server.Given(Request.Create().WithPath(Company + "/invoice").UsingPost()).RespondWith(FromFixture("fault-stale-object.json"));

        var outcome = await host.Connector.DeliverAsync(UpdateInvoice(), CancellationToken.None);

        Assert.Equal(OutcomeKind.Conflict, outcome.Kind);
        Assert.Contains("Stale Object Error", outcome.Message, StringComparison.Ordinal);
        Assert.Equal(3, _server.Calls("POST", "/invoice").Count);
    }

    private static OutboundOperation UpdateInvoice() => Operations.QuickBooks(OperationNames.Update, "Invoice", "JOB-2024-0042-po",
        """{"fields": {"PrivateNote": "fs_job_id=JOB-2024-0042; PO 7781"}, "params": {"id": "147"}}""");

    private static OutboundOperation WithItemNamesOnly(OutboundOperation operation)
    {
        var root = System.Text.Json.Nodes.JsonNode.Parse(operation.Payload.ToJsonString())!;
        foreach (var line in root["fields"]!["Line"]!.AsArray())
            line!["SalesItemLineDetail"]!["ItemRef"]!.AsObject().Remove("value");
        return operation with { Payload = OperationPayload.From(root) };
    }

    public void Dispose()
    {
        _host?.Dispose();
        _server.Stop();
    }
}
