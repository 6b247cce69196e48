using System.Text.Json;
using System.Text.Json.Nodes;
using FieldOps.Connectors.Jobber;
using FieldOps.Connectors.Salesforce;
using FieldOps.Integration.Core.Inbox;
using FieldOps.Integration.Core.Outbox;
using FieldOps.Integration.Testing.EndToEnd;
using FieldOps.Integration.Testing.Vendors;
using Microsoft.Extensions.DependencyInjection;
using WireMock;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using WireMock.Types;
using WireMock.Util;

namespace FieldOps.Integration.Host.Tests.EndToEnd;

/// <summary>
/// The shipped flow visit-crm-context through the real pipeline: a visit created in Jobber reads the customer's open
/// Salesforce cases first (the enrich step, one SOQL query, its answer stored with the event) and adds them to the
/// Jobber job as one note. Salesforce and Jobber are WireMock servers answering like the vendors.
/// </summary>
public sealed class VisitContextEndToEndTests : IAsyncLifetime
{
    private const string ClientId = "Z2lkOi8vSm9iYmVyL0NsaWVudC8xMjM0NQ==";
    private const string JobId = "Z2lkOi8vSm9iYmVyL0pvYi80MjQy";
    private readonly WireMockServer _jobber = WireMockServer.Start();
    private readonly WireMockServer _salesforce = WireMockServer.Start();
    private DeliveryPipeline _pipeline = null!;

    private void ServeToken() => JobberAndSalesforce.ServeSalesforceToken(_salesforce);

    public async Task InitializeAsync()
    {
        ServeToken();
        _salesforce.Given(Request.Create().WithPath("/services/data/v62.0/query").UsingGet()).RespondWith(Response.Create().WithHeader("Content-Type", "application/json")
            .WithBody("""
                {"totalSize":2,"done":true,"records":[
                  {"attributes":{"type":"Case"},"CaseNumber":"00001026","Subject":"No heat in the shop","Status":"New","Priority":"High","CreatedDate":"2026-12-01T08:04:10.000+0000"},
                  {"attributes":{"type":"Case"},"CaseNumber":"00000988","Subject":"Invoice question","Status":"Working","Priority":null,"CreatedDate":"2026-11-20T15:00:00.000+0000"}]}
                """));
        var settings = JobberAndSalesforce.Settings(_jobber.Url!, _salesforce.Url!);
        // A failed read that may pass is read again after 200 ms, 400 ms, … (30 s, doubling, in production).
        settings["Mappings:EnrichRetryDelay"] = "00:00:00.200";
        settings["Mappings:EnrichReadAttempts"] = "4";
        _pipeline = await DeliveryPipeline.StartAsync(settings, (services, configuration) =>
        {
            services.AddSalesforceConnector(configuration);
            services.AddJobberConnectorWithFixedToken(_jobber.Url!);
        });
    }

    private static string VisitCreated(string visitId = "Z2lkOi8vSm9iYmVyL1Zpc2l0Lzc3MDE=") => new JsonObject
    {
        ["data"] = new JsonObject
        {
            ["webHookEvent"] = new JsonObject
            {
                ["topic"] = "VISIT_CREATE", ["appId"] = "app", ["accountId"] = "acc-1", ["itemId"] = visitId, ["occurredAt"] = "2026-12-04T09:15:00-07:00",
            },
        },
        ["record"] = new JsonObject
        {
            ["id"] = visitId, ["title"] = "Furnace tune-up", ["visitStatus"] = "UPCOMING", ["startAt"] = "2026-12-07T08:00:00-07:00",
            ["endAt"] = "2026-12-07T10:00:00-07:00", ["updatedAt"] = "2026-12-04T09:14:58-07:00",
            ["job"] = new JsonObject { ["id"] = JobId, ["jobNumber"] = 1042 },
            ["client"] = new JsonObject { ["id"] = ClientId },
            ["assignedUsers"] = new JsonObject { ["nodes"] = new JsonArray() },
        },
    }.ToJsonString();

    private int Queries => _salesforce.LogEntries.Count(e => e.RequestMessage.Path == "/services/data/v62.0/query");

    [Fact]
    public async Task VisitScheduled_ReadsTheOpenCasesOnce_AndAddsThemToTheJobAsANote()
    {
        _jobber.Answer("JobCreateNote", """{"data":{"jobCreateNote":{"jobNote":{"id":"n-1"},"userErrors":[]}}}""");

        var eventId = await _pipeline.AppendAsync("jobber-main", VisitCreated());
        var note = Assert.Single(await _pipeline.SettleAsync(eventId, "jobber", 1));

        Assert.Equal(OutboxStates.Delivered, note.State);
        Assert.Equal("visit-crm-context", note.Flow);
        var query = Assert.Single(_salesforce.LogEntries, e => e.RequestMessage.Path == "/services/data/v62.0/query").RequestMessage.Query!["q"].ToString();
        Assert.Equal(
            $"SELECT CaseNumber, Subject, Status, Priority, CreatedDate FROM Case WHERE Account.FS_Customer_Id__c = '{ClientId}' AND IsClosed = false ORDER BY CreatedDate DESC LIMIT 5",
            query);
        using var posted = JsonDocument.Parse(_jobber.LogEntries.Single(e => e.RequestMessage.Body!.Contains("JobCreateNote(", StringComparison.Ordinal)).RequestMessage.Body!);
        var variables = posted.RootElement.GetProperty("variables");
        Assert.Equal(JobId, variables.GetProperty("id").GetString());
        Assert.Equal(
            "Customer context from Salesforce: 2 open cases\n- Case 00001026 (New, High): No heat in the shop\n- Case 00000988 (Working): Invoice question\n\n"
            + JobberConnector.Marker(note.Id),
            variables.GetProperty("input").GetProperty("message").GetString());

        // A second routing of the event (a crash after the read, before the routing commit; or a retry) reads nothing again:
        // the answer is stored with the event, and the same outbox row key writes no second note.
        await _pipeline.ExecuteAsync("UPDATE inbox SET state = 'new' WHERE id = @eventId", new { eventId });
        await WaitForStateAsync(eventId, "routed");
        Assert.Equal(1, Queries);
        Assert.Single(await _pipeline.RowsAsync(eventId, "jobber"));
        Assert.Equal(1, _jobber.Posted("JobCreateNote"));
    }

    [Fact]
    public async Task VisitScheduled_WhenTheNotesFirstAnswerIsLost_TheNoteIsWrittenOnce()
    {
        // Jobber applies the note, but the connection drops before its answer arrives.
        _jobber.Given(JobberGraphQLStub.Named("JobCreateNote")).RespondWith(Response.Create().WithFault(FaultType.EMPTY_RESPONSE));
        // The job's notes then include it, marker and all, exactly as it was posted.
        _jobber.Given(JobberGraphQLStub.Named("JobNotes")).RespondWith(Response.Create().WithCallback(_ => NotesAsPosted()));

        var eventId = await _pipeline.AppendAsync("jobber-main", VisitCreated());
        var note = Assert.Single(await _pipeline.SettleAsync(eventId, "jobber", 1));

        Assert.Equal(OutboxStates.Delivered, note.State);
        Assert.Equal(1, _jobber.Posted("JobCreateNote"));
        Assert.True(_jobber.Posted("JobNotes") >= 1);
        Assert.Equal(1, Queries);
    }

    [Fact]
    public async Task VisitScheduled_WhenSalesforceRefusesTheRead_TheEventIsParkedWithSalesforcesText()
    {
        _salesforce.ResetMappings();
        ServeToken();
        _salesforce.Given(Request.Create().WithPath("/services/data/v62.0/query").UsingGet()).RespondWith(Response.Create().WithStatusCode(400)
            .WithHeader("Content-Type", "application/json")
            .WithBody("""[{"message":"No such column 'FS_Customer_Id__c' on entity 'Account'.","errorCode":"INVALID_FIELD"}]"""));

        var eventId = await _pipeline.AppendAsync("jobber-main", VisitCreated());

        Assert.Equal("parked", await WaitForStateAsync(eventId, "parked"));
        var parked = await _pipeline.Services.GetRequiredService<IInboxStore>().GetAsync(eventId, CancellationToken.None);
        Assert.Contains("enrich $crm (salesforce query) failed", parked!.StateReason, StringComparison.Ordinal);
        Assert.Contains("No such column 'FS_Customer_Id__c' on entity 'Account'.", parked.StateReason, StringComparison.Ordinal);
        Assert.Empty(await _pipeline.RowsAsync(eventId, "jobber"));
        Assert.Empty(_jobber.LogEntries);
    }

    [Fact]
    public async Task VisitScheduled_WhileSalesforceIsDown_TheReadIsRetriedWithBackoff_AndTheNoteIsWrittenOnceItAnswers()
    {
        _salesforce.ResetMappings();
        ServeToken();
        // Salesforce is down for two reads (503 SERVER_UNAVAILABLE, then a 500), then answers.
        var query = Request.Create().WithPath("/services/data/v62.0/query").UsingGet();
        _salesforce.Given(query).InScenario("outage").WillSetStateTo("still down").RespondWith(Response.Create().WithStatusCode(503)
            .WithHeader("Content-Type", "application/json").WithBody("""[{"message":"Server is temporarily unavailable","errorCode":"SERVER_UNAVAILABLE"}]"""));
        _salesforce.Given(query).InScenario("outage").WhenStateIs("still down").WillSetStateTo("up").RespondWith(Response.Create().WithStatusCode(500)
            .WithHeader("Content-Type", "application/json").WithBody("""[{"message":"An unexpected error occurred","errorCode":"UNKNOWN_EXCEPTION"}]"""));
        _salesforce.Given(query).InScenario("outage").WhenStateIs("up").RespondWith(Response.Create().WithHeader("Content-Type", "application/json")
            .WithBody("""{"totalSize":1,"done":true,"records":[{"attributes":{"type":"Case"},"CaseNumber":"00001026","Subject":"No heat in the shop","Status":"New","Priority":"High","CreatedDate":"2026-12-01T08:04:10.000+0000"}]}"""));
        _jobber.Answer("JobCreateNote", """{"data":{"jobCreateNote":{"jobNote":{"id":"n-1"},"userErrors":[]}}}""");

        var eventId = await _pipeline.AppendAsync("jobber-main", VisitCreated());

        // While it waits, the event says why, and which attempt that was.
        Assert.Equal(InboxEventState.AwaitingEnrichment, await WaitForStateAsync(eventId, InboxEventState.AwaitingEnrichment));
        var waiting = await _pipeline.Services.GetRequiredService<IInboxStore>().GetAsync(eventId, CancellationToken.None);
        Assert.Contains("enrich $crm (salesforce query) failed: Transient: SERVER_UNAVAILABLE: Server is temporarily unavailable (attempt 1 of 4", waiting!.StateReason, StringComparison.Ordinal);
        var note = Assert.Single(await _pipeline.SettleAsync(eventId, "jobber", 1, TimeSpan.FromSeconds(20)));

        Assert.Equal(OutboxStates.Delivered, note.State);
        Assert.Equal(3, Queries);
        Assert.Equal(1, _jobber.Posted("JobCreateNote"));
        Assert.Equal(InboxEventState.Routed, await _pipeline.InboxStateAsync(eventId));
    }

    private ResponseMessage NotesAsPosted()
    {
        var message = _jobber.LogEntries
            .Where(e => e.RequestMessage.Body?.Contains("JobCreateNote(", StringComparison.Ordinal) == true)
            .Select(e => JsonNode.Parse(e.RequestMessage.Body!)!["variables"]!["input"]!["message"]!.GetValue<string>())
            .FirstOrDefault() ?? "";
        var body = new JsonObject
        {
            ["data"] = new JsonObject { ["record"] = new JsonObject { ["notes"] = new JsonObject { ["nodes"] = new JsonArray(new JsonObject { ["id"] = "n-7", ["message"] = message }) } } },
        };
        return new ResponseMessage
        {
            StatusCode = 200,
            Headers = new Dictionary<string, WireMockList<string>> { ["Content-Type"] = new("application/json") },
            BodyData = new BodyData { BodyAsString = body.ToJsonString(), DetectedBodyType = BodyType.String },
        };
    }

    private async Task<string> WaitForStateAsync(long eventId, string expected)
    {
        var state = "";
        for (var i = 0; i < 400; i++)
        {
            state = await _pipeline.InboxStateAsync(eventId);
            if (state == expected)
                return state;
            await Task.Delay(50);
        }
        return state;
    }

    public async Task DisposeAsync()
    {
        await _pipeline.DisposeAsync();
        _jobber.Stop();
        _salesforce.Stop();
    }
}
