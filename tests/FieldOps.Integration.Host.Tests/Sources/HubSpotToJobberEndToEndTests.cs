using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using FieldOps.Integration.Host.Tests.Infrastructure;
using WireMock.Matchers;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace FieldOps.Integration.Host.Tests.Sources;

/// <summary>
/// A HubSpot ticket all the way to Jobber and back through the real host: the signed webhook, the ticket and its
/// contact fetched back from a WireMock.Net CRM API, the shipped flow service-request-jobber, the dispatcher calling
/// Jobber's GraphQL (a WireMock.Net server, with the Jobber source's OAuth token) and writing the request id back to
/// the ticket — and HubSpot's webhook about that write-back (changeSource INTEGRATION, our app id) not routed again.
/// </summary>
public sealed class HubSpotToJobberEndToEndTests : IDisposable
{
    private const string OurAppId = "4210286"; // lookups.hubspot.appId in mappings/profiles/hubspot.yaml
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private readonly WireMockServer _crm = WireMockServer.Start();
    private readonly FakeJobber _jobber = new();
    private readonly TempDirectory _keys = new();
    private readonly FieldOpsFactory _factory;

    public HubSpotToJobberEndToEndTests()
    {
        _crm.Given(Request.Create().WithPath("/crm/v3/objects/tickets/9001").UsingGet())
            .RespondWith(Response.Create().WithHeader("Content-Type", "application/json").WithBody("""
                {"id":"9001","properties":{"subject":"Leaking water heater","content":"Pilot light goes out","hs_ticket_priority":"HIGH",
                 "hs_lastmodifieddate":"2026-12-04T09:00:00.000Z","createdate":"2026-12-04T08:59:00.000Z"},
                 "associations":{"contacts":{"results":[{"id":"501","type":"ticket_to_contact"}]}}}
                """));
        _crm.Given(Request.Create().WithPath("/crm/v3/objects/contacts/501").UsingGet())
            .RespondWith(Response.Create().WithHeader("Content-Type", "application/json").WithBody("""
                {"id":"501","properties":{"email":"Sam@Example.com","firstname":"Sam","lastname":"Ortiz","company":"Ortiz Dental"}}
                """));
        _crm.Given(Request.Create().WithPath("/crm/v3/objects/tickets/9001").UsingPatch())
            .RespondWith(Response.Create().WithHeader("Content-Type", "application/json").WithBody("""
                {"id":"9001","properties":{"fs_jobber_request_id":"r-501","hs_lastmodifieddate":"2026-12-04T09:01:00.000Z"}}
                """));
        Answer("FindClients", """{"data":{"clients":{"nodes":[]}}}""");
        Answer("ClientCreate", """{"data":{"clientCreate":{"client":{"id":"c-501"},"userErrors":[]}}}""");
        Answer("RequestCreate", """{"data":{"requestCreate":{"request":{"id":"r-501"},"userErrors":[]}}}""");
        var settings = _jobber.Settings(_keys.Path);
        settings["Sources:jobber:Secret"] = FieldOpsFactory.JobberSecret;
        settings["Sources:hs:Kind"] = "hubspot";
        settings["Sources:hs:Secret"] = HubSpotWebhookTests.Secret;
        settings["Sources:hs:PublicUrl"] = HubSpotWebhookTests.PublicUrl;
        settings["Sources:hs:ApiBaseUrl"] = _crm.Url + "/";
        settings["Sources:hs:AccessToken"] = "pat-na1-test";
        settings["Hydration:Debounce"] = "00:00:00.100";
        settings["Connectors:Jobber:BaseUrl"] = _jobber.BaseUrl.AbsoluteUri;
        settings["Connectors:Jobber:Source"] = "jobber";
        settings["Connectors:HubSpot:BaseUrl"] = _crm.Url;
        settings["Connectors:HubSpot:AccessToken"] = "pat-na1-test";
        settings["Dispatcher:PollInterval"] = "00:00:00.050";
        _factory = new FieldOpsFactory(settings);
    }

    private void Answer(string operation, string json) =>
        _jobber.Server.Given(Request.Create().WithPath("/graphql").UsingPost()
                .WithHeader("Authorization", $"Bearer {FakeJobber.AccessToken}")
                .WithBody(new WildcardMatcher($"*{operation}(*")))
            .RespondWith(Response.Create().WithHeader("Content-Type", "application/json").WithBody(json));

    private int Posted(string operation) =>
        _jobber.Server.LogEntries.Count(e => e.RequestMessage.Body?.Contains($"{operation}(", StringComparison.Ordinal) == true);

    private int WriteBacks => _crm.LogEntries.Count(e => e.RequestMessage.Method == "PATCH");

    [Fact]
    public async Task SignedTicketWebhook_BecomesAJobberRequest_TheIdGoesBackToTheTicket_AndTheWriteBacksWebhookIsNotRouted()
    {
        using var client = _factory.CreateClient();
        var body = new JsonArray(HubSpotWebhookTests.Event(1, "ticket.creation", 9001, 0)).ToJsonString();
        var timestamp = HubSpotWebhookTests.Now();

        using var response = await client.SendAsync(HubSpotWebhookTests.Post(body, HubSpotWebhookTests.Sign(HubSpotWebhookTests.PublicUrl, body, timestamp), timestamp));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        await StoreProbe.WaitUntilAsync(() => WriteBacks == 1, Timeout, Describe);
        Assert.Equal(1, Posted("ClientCreate"));
        Assert.Equal(1, Posted("RequestCreate"));
        using var request = JsonDocument.Parse(_jobber.Server.LogEntries.Single(e => e.RequestMessage.Body!.Contains("RequestCreate(", StringComparison.Ordinal)).RequestMessage.Body!);
        var input = request.RootElement.GetProperty("variables").GetProperty("input");
        Assert.Equal("c-501", input.GetProperty("clientId").GetString());
        Assert.Contains("Leaking water heater", input.GetProperty("title").GetString(), StringComparison.Ordinal);
        using var patch = JsonDocument.Parse(_crm.LogEntries.Single(e => e.RequestMessage.Method == "PATCH").RequestMessage.Body!);
        Assert.Equal("r-501", patch.RootElement.GetProperty("properties").GetProperty("fs_jobber_request_id").GetString());

        // HubSpot then tells us about our own write-back: the property change, made by our app.
        var echo = new JsonObject
        {
            ["eventId"] = 2, ["subscriptionId"] = 2881780, ["portalId"] = 44237313, ["appId"] = long.Parse(OurAppId, System.Globalization.CultureInfo.InvariantCulture),
            ["occurredAt"] = 1733302900000, ["subscriptionType"] = "ticket.propertyChange", ["attemptNumber"] = 0, ["objectId"] = 9001,
            ["propertyName"] = "fs_jobber_request_id", ["propertyValue"] = "r-501", ["changeSource"] = "INTEGRATION", ["sourceId"] = OurAppId,
        };
        var echoBody = new JsonArray(echo).ToJsonString();
        var later = HubSpotWebhookTests.Now();
        using var echoAnswer = await client.SendAsync(HubSpotWebhookTests.Post(echoBody, HubSpotWebhookTests.Sign(HubSpotWebhookTests.PublicUrl, echoBody, later), later));

        Assert.Equal(HttpStatusCode.Accepted, echoAnswer.StatusCode);
        await StoreProbe.WaitUntilAsync(() => StoreProbe.Inbox(_factory.DatabasePath) is { Count: 2 } inbox && inbox.All(e => e.State is not ("new" or "awaiting_hydration")),
            Timeout, Describe);
        var echoed = StoreProbe.Inbox(_factory.DatabasePath)[1];
        Assert.True(echoed.State == "unmatched", $"{echoed.State}: {echoed.Reason}");
        Assert.DoesNotContain(StoreProbe.Outbox(_factory.DatabasePath), r => r.InboxEventId == echoed.Id);
        await Task.Delay(500);
        Assert.Equal(1, Posted("RequestCreate"));
        Assert.Equal(1, WriteBacks);
    }

    public void Dispose()
    {
        _factory.Dispose();
        _crm.Stop();
        _jobber.Dispose();
        _keys.Dispose();
    }

    private string Describe() =>
        string.Join("; ", StoreProbe.Inbox(_factory.DatabasePath).Select(e => $"{e.Id} {e.State} {e.Reason}"))
        + $" | jobber posts: {string.Join(", ", _jobber.Server.LogEntries.Select(e => $"{e.RequestMessage.Path} {(int?)e.ResponseMessage.StatusCode}"))}"
        + $" | crm: {string.Join(", ", _crm.LogEntries.Select(e => $"{e.RequestMessage.Method} {e.RequestMessage.Path} {(int?)e.ResponseMessage.StatusCode}"))}";
}
