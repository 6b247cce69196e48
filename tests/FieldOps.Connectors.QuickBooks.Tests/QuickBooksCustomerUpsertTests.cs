using FieldOps.Connectors.QuickBooks.Tests.Support;
using FieldOps.Integration.Core.Connectors;
using WireMock.Matchers;
using WireMock.RequestBuilders;
using WireMock.Server;
using static FieldOps.Integration.Testing.VendorAnswers;
using FieldOps.Integration.Testing;

namespace FieldOps.Connectors.QuickBooks.Tests;

public sealed class QuickBooksCustomerUpsertTests : IDisposable
{
    private const string QueryPath = $"/v3/company/{QuickBooksTestHost.Realm}/query";
    private const string CustomerPath = $"/v3/company/{QuickBooksTestHost.Realm}/customer";
    private const string NoMatch = """{"QueryResponse":{},"time":"2025-06-03T09:20:01.118-07:00"}""";
    private readonly WireMockServer _server = WireMockServer.Start();
    private readonly QuickBooksTestHost _host;

    public QuickBooksCustomerUpsertTests() => _host = new QuickBooksTestHost(_server);

    [Fact]
    public async Task Upsert_WhenCrossReferenceKnownAndUnchanged_ReadsButDoesNotWrite()
    {
        await _host.CrossReferences.SaveAsync("quickbooks", "Customer", "1002", "77", CancellationToken.None);
        ArrangeRead("77", """
            {"Customer":{"Id":"77","SyncToken":"4","DisplayName":"Mission Bakery","CompanyName":"Mission Bakery LLC", "PrimaryEmailAddr":{"Address":"ops@example.com"},"Notes":"fieldops:1002","Balance":0}}
            """);

        var outcome = await _host.Connector.DeliverAsync(Operations.UpsertCustomer("1002", "Mission Bakery"), CancellationToken.None);

        Assert.Equal(OutcomeKind.Delivered, outcome.Kind);
        Assert.Equal("77", outcome.TargetId);
        Assert.Empty(_server.Calls("POST", "/customer"));
        Assert.Empty(_server.Calls("GET", "/query"));
    }

    [Fact]
    public async Task Upsert_EmailOnFileDiffersOnlyInCase_IsUnchanged_NoWrite()
    {
        await _host.CrossReferences.SaveAsync("quickbooks", "Customer", "1002", "77", CancellationToken.None);
        ArrangeRead("77", """
            {"Customer":{"Id":"77","SyncToken":"4","DisplayName":"Mission Bakery","CompanyName":"Mission Bakery LLC", "PrimaryEmailAddr":{"Address":"OPS@Example.COM"},"Notes":"fieldops:1002"}}
            """);

        var outcome = await _host.Connector.DeliverAsync(Operations.UpsertCustomer("1002", "Mission Bakery"), CancellationToken.None);

        Assert.Equal(OutcomeKind.Delivered, outcome.Kind);
        Assert.Equal("77", outcome.TargetId);
        Assert.Empty(_server.Calls("POST", "/customer"));
    }

    [Fact]
    public async Task Upsert_WhenCrossReferenceKnownAndChanged_SparseUpdatesOnlyTheChangedFields()
    {
        await _host.CrossReferences.SaveAsync("quickbooks", "Customer", "1002", "77", CancellationToken.None);
        ArrangeRead("77", """
            {"Customer":{"Id":"77","SyncToken":"4","DisplayName":"Mission Bakery","CompanyName":"Mission Bakery LLC", "PrimaryEmailAddr":{"Address":"old@example.com"},"Notes":"fieldops:1002"}}
            """);
        _server.Given(Request.Create().WithPath(CustomerPath).UsingPost()).RespondWith(JsonReply(200, """{"Customer":{"Id":"77","SyncToken":"5"}}"""));

        var outcome = await _host.Connector.DeliverAsync(Operations.UpsertCustomer("1002", "Mission Bakery"), CancellationToken.None);

        Assert.Equal("77", outcome.TargetId);
        var update = Assert.Single(_server.Calls("POST", "/customer")).JsonBody();
        Assert.Equal(["PrimaryEmailAddr", "Id", "SyncToken", "sparse"], update.Select(p => p.Key));
        Assert.Equal("4", update["SyncToken"]!.GetValue<string>());
        Assert.True(update["sparse"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Upsert_WhenOursCarriesTheDisambiguatedName_KeepsThatName()
    {
        await _host.CrossReferences.SaveAsync("quickbooks", "Customer", "1002", "78", CancellationToken.None);
        ArrangeRead("78", """
            {"Customer":{"Id":"78","SyncToken":"0","DisplayName":"Mission Bakery (FS-1002)","CompanyName":"Mission Bakery LLC", "PrimaryEmailAddr":{"Address":"ops@example.com"},"Notes":"fieldops:1002"}}
            """);

        var outcome = await _host.Connector.DeliverAsync(Operations.UpsertCustomer("1002", "Mission Bakery"), CancellationToken.None);

        Assert.Equal("78", outcome.TargetId);
        Assert.Empty(_server.Calls("POST", "/customer"));
    }

    [Fact]
    public async Task Upsert_WhenNameHeldByOurCustomer_ReturnsItsIdWithoutCreating()
    {
        ArrangeQuery("Mission Bakery", Customers(("59", "Mission Bakery", "fs note\nfieldops:1002")));
        ArrangeRead("59", """
            {"Customer":{"Id":"59","SyncToken":"0","DisplayName":"Mission Bakery","CompanyName":"Mission Bakery LLC", "PrimaryEmailAddr":{"Address":"ops@example.com"},"Notes":"fs note\nfieldops:1002"}}
            """);

        var outcome = await _host.Connector.DeliverAsync(Operations.UpsertCustomer("1002", "Mission Bakery"), CancellationToken.None);

        Assert.Equal(OutcomeKind.Delivered, outcome.Kind);
        Assert.Equal("59", outcome.TargetId);
        Assert.Empty(_server.Calls("POST", "/customer"));
    }

    [Fact]
    public async Task Upsert_WhenNameFree_CreatesWithMarkerAndRequestId()
    {
        ArrangeQuery("Mission Bakery", NoMatch);
        _server.Given(Request.Create().WithPath(CustomerPath).UsingPost()).RespondWith(FromFixture("customer-create.json"));

        var outcome = await _host.Connector.DeliverAsync(Operations.UpsertCustomer("1002", "Mission Bakery"), CancellationToken.None);

        Assert.Equal(OutcomeKind.Delivered, outcome.Kind);
        Assert.Equal("59", outcome.TargetId);
        var create = Assert.Single(_server.Calls("POST", "/customer"));
        Assert.Equal("Mission Bakery", create.JsonBody()["DisplayName"]!.GetValue<string>());
        Assert.Equal("fieldops:1002", create.JsonBody()["Notes"]!.GetValue<string>());
        var requestId = create.QueryParam("requestid");
        Assert.NotNull(requestId);
        Assert.InRange(requestId.Length, 1, 50);
        Assert.Equal("75", create.QueryParam("minorversion"));
    }

    [Fact]
    public async Task Upsert_WhenNameHeldByAnotherClient_CreatesDisambiguatedName()
    {
        ArrangeQuery("Mission Bakery", Customers(("58", "Mission Bakery", "someone else's bakery")));
        ArrangeQuery("Mission Bakery (FS-1002)", NoMatch);
        _server.Given(Request.Create().WithPath(CustomerPath).UsingPost()).RespondWith(JsonReply(200, """{"Customer":{"Id":"60","SyncToken":"0"}}"""));

        var outcome = await _host.Connector.DeliverAsync(Operations.UpsertCustomer("1002", "Mission Bakery"), CancellationToken.None);

        Assert.Equal("60", outcome.TargetId);
        var create = Assert.Single(_server.Calls("POST", "/customer"));
        Assert.Equal("Mission Bakery (FS-1002)", create.JsonBody()["DisplayName"]!.GetValue<string>());
    }

    [Fact]
    public async Task Upsert_OnDuplicateName6240_CreatesDisambiguatedNameWithItsOwnRequestId()
    {
        ArrangeQuery("Mission Bakery", NoMatch);
        ArrangeQuery("Mission Bakery (FS-1002)", NoMatch);
        _server.Given(Request.Create().WithPath(CustomerPath).UsingPost()).InScenario("dup").WillSetStateTo("taken")
            .RespondWith(FromFixture("fault-duplicate-name-6240.json"));
        _server.Given(Request.Create().WithPath(CustomerPath).UsingPost()).InScenario("dup").WhenStateIs("taken")
            .RespondWith(JsonReply(200, """{"Customer":{"Id":"61","SyncToken":"0"}}"""));

        var outcome = await _host.Connector.DeliverAsync(Operations.UpsertCustomer("1002", "Mission Bakery"), CancellationToken.None);

        Assert.Equal(OutcomeKind.Delivered, outcome.Kind);
        Assert.Equal("61", outcome.TargetId);
        var creates = _server.Calls("POST", "/customer");
        Assert.Equal(2, creates.Count);
        Assert.Equal("Mission Bakery (FS-1002)", creates[1].JsonBody()["DisplayName"]!.GetValue<string>());
        Assert.NotEqual(creates[0].QueryParam("requestid"), creates[1].QueryParam("requestid"));
    }

    [Fact]
    public async Task Upsert_WhenRetried_SendsTheSameRequestId()
    {
        ArrangeQuery("Mission Bakery", NoMatch);
        _server.Given(Request.Create().WithPath(CustomerPath).UsingPost()).RespondWith(FromFixture("customer-create.json"));

        await _host.Connector.DeliverAsync(Operations.UpsertCustomer("1002", "Mission Bakery"), CancellationToken.None);
        await _host.Connector.DeliverAsync(Operations.UpsertCustomer("1002", "Mission Bakery") with { Attempt = 2 }, CancellationToken.None);

        var creates = _server.Calls("POST", "/customer");
        Assert.Equal(2, creates.Count);
        Assert.Equal(creates[0].QueryParam("requestid"), creates[1].QueryParam("requestid"));
    }

    [Fact]
    public void Disambiguate_LongName_StaysWithinOneHundredCharacters()
    {
        var name = QuickBooksCustomerUpsert.Disambiguate(new string('x', 120), "1002");
        Assert.Equal(100, name.Length);
        Assert.EndsWith(" (FS-1002)", name, StringComparison.Ordinal);
    }

    [Fact]
    public void HasMarker_OtherIdWithSamePrefix_IsNotOurs() =>
        Assert.False(QuickBooksCustomerUpsert.HasMarker("fieldops:10021", "fieldops:1002"));

    private void ArrangeRead(string id, string body) =>
        _server.Given(Request.Create().WithPath($"{CustomerPath}/{id}").UsingGet()).RespondWith(JsonReply(200, body));

    private void ArrangeQuery(string displayName, string body) =>
        _server.Given(Request.Create().WithPath(QueryPath).UsingGet()
                .WithParam("query", new ExactMatcher($"select * from Customer where DisplayName = '{displayName}'")))
            .RespondWith(JsonReply(200, body));

    private static string Customers(params (string Id, string Name, string Notes)[] customers) =>
        new System.Text.Json.Nodes.JsonObject
        {
            ["QueryResponse"] = new System.Text.Json.Nodes.JsonObject
            {
                ["Customer"] = new System.Text.Json.Nodes.JsonArray(customers.Select(c => (System.Text.Json.Nodes.JsonNode)new System.Text.Json.Nodes.JsonObject
                {
                    ["Id"] = c.Id, ["SyncToken"] = "0", ["DisplayName"] = c.Name, ["Notes"] = c.Notes,
                }).ToArray()),
                ["startPosition"] = 1,
                ["maxResults"] = customers.Length,
            },
        }.ToJsonString();

    public void Dispose()
    {
        _host.Dispose();
        _server.Stop();
    }
}
