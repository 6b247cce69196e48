using System.Text.Json;
using System.Text.Json.Nodes;
using FieldOps.Connectors.Salesforce;
using FieldOps.Integration.Core.Outbox;
using FieldOps.Integration.Testing.EndToEnd;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using FieldOps.Integration.Testing.Vendors;

namespace FieldOps.Integration.Host.Tests.EndToEnd;

/// <summary>
/// The shipped flow service-request-jobber through the real pipeline (router over the shipped mappings, outbox,
/// dispatcher, credentials store): a polled Salesforce Case becomes a Jobber request for the client with the
/// contact's e-mail, and the request id is written back to the Case; the echo of our own writes is not routed.
/// Salesforce and Jobber are WireMock servers answering like the vendors.
/// </summary>
public sealed class ServiceRequestEndToEndTests : IAsyncLifetime
{
    private const string CaseId = "5003000000D8cFFQAZ";
    private const string IntegrationUser = "005000000000000AAA";
    private readonly WireMockServer _jobber = WireMockServer.Start();
    private readonly WireMockServer _salesforce = WireMockServer.Start();
    private DeliveryPipeline _pipeline = null!;

    public async Task InitializeAsync()
    {
        JobberAndSalesforce.ServeSalesforceToken(_salesforce);
        _salesforce.Given(Request.Create().WithPath($"/services/data/v62.0/sobjects/Case/{CaseId}").UsingPatch()).RespondWith(Response.Create().WithStatusCode(204));
        var settings = JobberAndSalesforce.Settings(_jobber.Url!, _salesforce.Url!);
        settings["Sources:sf:Kind"] = "salesforce";
        _pipeline = await DeliveryPipeline.StartAsync(settings, (services, configuration) =>
        {
            services.AddSalesforceConnector(configuration);
            services.AddJobberConnectorWithFixedToken(_jobber.Url!);
        });
    }

    private static string PolledCase(string lastModifiedBy, string? jobberRequestId = null, string modstamp = "2026-12-04T08:05:00.000Z") => new JsonObject
    {
        ["Id"] = CaseId,
        ["SystemModstamp"] = modstamp,
        ["CaseNumber"] = "00001026",
        ["Subject"] = "No heat in the shop",
        ["Description"] = "Furnace short-cycles since Monday.",
        ["Priority"] = "High",
        ["CreatedDate"] = "2026-12-04T08:04:10.000Z",
        ["LastModifiedById"] = lastModifiedBy,
        ["FS_Jobber_Request_Id__c"] = jobberRequestId,
        ["Contact"] = new JsonObject { ["Email"] = "Dana@Example.com", ["FirstName"] = "Dana", ["LastName"] = "Reyes", ["Phone"] = "+1 303 555 0101" },
        ["Account"] = new JsonObject { ["Name"] = "Reyes Bakery" },
        ["sobjectType"] = "Case",
    }.ToJsonString();

    [Fact]
    public async Task NewCase_BecomesAJobberRequestForTheMatchedClient_AndTheIdIsWrittenBack()
    {
        _jobber.Answer("FindClients", """{"data":{"clients":{"nodes":[{"id":"c-42","emails":[{"address":"dana@example.com"}]}]}}}""");
        _jobber.Answer("RequestCreate", """{"data":{"requestCreate":{"request":{"id":"r-77"},"userErrors":[]}}}""");

        var eventId = await _pipeline.AppendAsync("sf", PolledCase(lastModifiedBy: "005000000000000USR"));
        var jobberRows = await _pipeline.SettleAsync(eventId, "jobber", 2);
        var writeBack = Assert.Single(await _pipeline.SettleAsync(eventId, "salesforce", 1));

        Assert.All(jobberRows, r => Assert.Equal(OutboxStates.Delivered, r.State));
        Assert.Equal(OutboxStates.Delivered, writeBack.State);
        Assert.Equal(0, _jobber.Posted("ClientCreate"));
        using var request = JsonDocument.Parse(_jobber.LogEntries.Single(e => e.RequestMessage.Body!.Contains("RequestCreate(", StringComparison.Ordinal)).RequestMessage.Body!);
        var input = request.RootElement.GetProperty("variables").GetProperty("input");
        Assert.Equal("c-42", input.GetProperty("clientId").GetString());
        Assert.Equal("No heat in the shop (Salesforce case 00001026)", input.GetProperty("title").GetString());
        using var patch = JsonDocument.Parse(_salesforce.LogEntries.Single(e => e.RequestMessage.Method == "PATCH").RequestMessage.Body!);
        Assert.Equal("r-77", patch.RootElement.GetProperty("FS_Jobber_Request_Id__c").GetString());
    }

    [Fact]
    public async Task NewCase_ForAnUnknownCustomer_CreatesTheClientFirst()
    {
        _jobber.Answer("FindClients", """{"data":{"clients":{"nodes":[]}}}""");
        _jobber.Answer("ClientCreate", """{"data":{"clientCreate":{"client":{"id":"c-new"},"userErrors":[]}}}""");
        _jobber.Answer("RequestCreate", """{"data":{"requestCreate":{"request":{"id":"r-78"},"userErrors":[]}}}""");

        var eventId = await _pipeline.AppendAsync("sf", PolledCase(lastModifiedBy: "005000000000000USR"));
        await _pipeline.SettleAsync(eventId, "jobber", 2);

        Assert.Equal("c-new", await _pipeline.XrefAsync("jobber", "Client", "dana@example.com"));
        Assert.Equal("r-78", await _pipeline.XrefAsync("jobber", "Request", $"salesforce:{CaseId}"));
        using var client = JsonDocument.Parse(_jobber.LogEntries.Single(e => e.RequestMessage.Body!.Contains("ClientCreate(", StringComparison.Ordinal)).RequestMessage.Body!);
        Assert.Equal("Reyes Bakery", client.RootElement.GetProperty("variables").GetProperty("input").GetProperty("companyName").GetString());
        using var request = JsonDocument.Parse(_jobber.LogEntries.Single(e => e.RequestMessage.Body!.Contains("RequestCreate(", StringComparison.Ordinal)).RequestMessage.Body!);
        Assert.Equal("c-new", request.RootElement.GetProperty("variables").GetProperty("input").GetProperty("clientId").GetString());
    }

    [Fact]
    public async Task EchoOfOurOwnWrite_IsNotRouted()
    {
        // The write-back above changes the Case: the next poll returns it, last modified by the integration user.
        var echo = await _pipeline.AppendAsync("sf", PolledCase(lastModifiedBy: IntegrationUser, jobberRequestId: "r-77", modstamp: "2026-12-04T08:06:00.000Z"));
        // A Case the forward flows upserted (from a completed Jobber job) also comes back as the integration user's change.
        var forward = await _pipeline.AppendAsync("sf", PolledCase(lastModifiedBy: IntegrationUser, modstamp: "2026-12-04T08:07:00.000Z"));
        // A person edits the Case after the request exists: no second request either.
        var edited = await _pipeline.AppendAsync("sf", PolledCase(lastModifiedBy: "005000000000000USR", jobberRequestId: "r-77", modstamp: "2026-12-04T08:08:00.000Z"));

        foreach (var id in new[] { echo, forward, edited })
            Assert.Equal("unmatched", await _pipeline.SettledStateAsync(id));
        Assert.Empty(_jobber.LogEntries);
    }

    [Fact]
    public async Task EchoOfTheClientWeCreated_IsNotRoutedToTheCustomerFlows()
    {
        _jobber.Answer("FindClients", """{"data":{"clients":{"nodes":[]}}}""");
        _jobber.Answer("ClientCreate", """{"data":{"clientCreate":{"client":{"id":"c-new"},"userErrors":[]}}}""");
        _jobber.Answer("RequestCreate", """{"data":{"requestCreate":{"request":{"id":"r-79"},"userErrors":[]}}}""");
        var request = await _pipeline.AppendAsync("sf", PolledCase(lastModifiedBy: "005000000000000USR"));
        await _pipeline.SettleAsync(request, "jobber", 2);

        // Jobber then sends CLIENT_CREATE for the client the hub created, and for one a person created.
        var echo = await _pipeline.AppendAsync("jobber-main", ClientCreated("c-new", "dana@example.com"));
        var person = await _pipeline.AppendAsync("jobber-main", ClientCreated("c-other", "lee@example.com"));

        Assert.Equal("unmatched", await _pipeline.SettledStateAsync(echo));
        Assert.Empty(await _pipeline.RowsAsync(echo, "salesforce"));
        Assert.Equal("routed", await _pipeline.SettledStateAsync(person));
        Assert.NotEmpty(await _pipeline.RowsAsync(person, "salesforce"));
    }

    private static string ClientCreated(string clientId, string email) => new JsonObject
    {
        ["data"] = new JsonObject
        {
            ["webHookEvent"] = new JsonObject
            {
                ["topic"] = "CLIENT_CREATE", ["appId"] = "app", ["accountId"] = "acc-1", ["itemId"] = clientId, ["occurredAt"] = "2026-12-04T08:06:00Z",
            },
        },
        ["record"] = new JsonObject
        {
            ["id"] = clientId, ["name"] = "Dana Reyes", ["firstName"] = "Dana", ["lastName"] = "Reyes", ["companyName"] = "Reyes Bakery", ["isCompany"] = false,
            ["emails"] = new JsonArray(new JsonObject { ["address"] = email, ["primary"] = true }),
            ["phones"] = new JsonArray(),
            ["updatedAt"] = "2026-12-04T08:06:00Z",
        },
    }.ToJsonString();

    public async Task DisposeAsync()
    {
        await _pipeline.DisposeAsync();
        _jobber.Stop();
        _salesforce.Stop();
    }
}
