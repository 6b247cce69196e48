using System.Text.Json.Nodes;
using FieldOps.Connectors.HubSpot;
using FieldOps.Integration.Testing;
using FieldOps.Integration.Testing.EndToEnd;
using FieldOps.Connectors.Salesforce;
using FieldOps.Integration.Core.Outbox;
using WireMock.Matchers;
using WireMock.RequestBuilders;
using WireMock.Server;
using static FieldOps.Integration.Testing.VendorAnswers;

namespace FieldOps.Integration.Host.Tests.EndToEnd;

/// <summary>
/// Issue 14, "every job reaches every target even for customers we have never seen": one hydrated JOB_CLOSED of a
/// client no target has heard of (a company named with quotes and non-ASCII letters, its e-mail in mixed case, the
/// technicians' e-mails in another case than BambooHR keeps them) through every shipped job flow at once — router,
/// dispatcher, the four connectors, WireMock for each vendor — in one pass: nothing waits on a customer event.
/// </summary>
public sealed partial class JobCompletedEndToEndTests
{
    private const string AccountId = "001Dn00000AbCdEIAV";
    private const string CaseId = "500Dn00000XyZ12IAB";
    private const string TicketId = "9123";

    [Fact]
    public async Task JobClosed_ClientNoTargetHasSeen_ReachesSalesforceHubSpotQuickBooksAndBambooHRInOnePass()
    {
        using var salesforce = WireMockServer.Start();
        using var hubSpot = WireMockServer.Start();
        ArrangeSalesforce(salesforce);
        ArrangeHubSpot(hubSpot);
        ArrangeQuickBooks();
        _quickBooks.Given(Request.Create().WithPath(Company + "/query").UsingGet()
                .WithParam("query", new WildcardMatcher("select * from Customer where DisplayName = *")))
            .RespondWith(JsonReply(200, """{"QueryResponse":{},"time":"2025-06-03T09:20:01.118-07:00"}"""));
        ArrangeBambooHr();
        var job = JsonNode.Parse(File.ReadAllText(Path.Combine(DeliveryPipeline.ShippedMappings, "samples", "jobber-job-closed.json")))!;
        var client = job["record"]!["client"]!;
        client["name"] = "Søren \"Ski\" O'Brien – Ærø Heating";
        client["companyName"] = "Ærø \"Heat\" O'Brien Ltd";
        client["emails"] = JsonNode.Parse("""[{"address": "Soren.OBrien@Example.COM", "primary": true}]""");
        foreach (var entry in job["record"]!["timeSheetEntries"]!["nodes"]!.AsArray())
            entry!["user"]!["email"]!["raw"] = entry["user"]!["email"]!["raw"]!.GetValue<string>().ToUpperInvariant();
        await using var worker = await AccountingPipeline.StartAsync(_quickBooks.Url!, _bambooHr.Url!, new Dictionary<string, string?>
        {
            ["Connectors:Salesforce:LoginUrl"] = salesforce.Url,
            ["Connectors:Salesforce:ClientId"] = "3MVG9ExampleConsumerKey",
            ["Connectors:Salesforce:ClientSecret"] = "ExampleConsumerSecret",
            ["Connectors:Salesforce:ApiVersion"] = "v62.0",
            ["Connectors:HubSpot:BaseUrl"] = hubSpot.Url,
            ["Connectors:HubSpot:AccessToken"] = "pat-na1-11111111-2222-3333-4444-555555555555",
        }, (services, configuration) =>
        {
            services.AddSalesforceConnector(configuration);
            services.AddHubSpotConnector(configuration);
        });

        await worker.AppendAsync(AccountingPipeline.Source, job.ToJsonString());
        var rows = await worker.SettleConnectorsAsync(SettleLimit, "salesforce", "hubspot", "quickbooks", "bamboohr");

        Assert.True(rows.All(r => r.State == OutboxStates.Delivered), string.Join("\n", rows));
        Assert.Equal(["account", "case", "technician-notes"], Keys(rows, "salesforce"));
        Assert.Equal(["company", "contact", "ticket", "associate", "close", "technician-notes"], Keys(rows, "hubspot"));
        Assert.Equal(["customer", "invoice", "send"], Keys(rows, "quickbooks"));
        Assert.Equal(2, Keys(rows, "bamboohr").Count(k => k.StartsWith("hours:te-", StringComparison.Ordinal)));

        // Salesforce: the Account from the job's own client, then the Case on it, then one comment on the Case.
        var account = Assert.Single(Posts(salesforce, "PATCH", "/sobjects/Account/FS_Customer_Id__c/"));
        Assert.Equal("Søren \"Ski\" O'Brien – Ærø Heating", account["Name"]!.GetValue<string>());
        Assert.Equal(AccountId, Assert.Single(Posts(salesforce, "PATCH", "/sobjects/Case/FS_Job_Id__c/"))["AccountId"]!.GetValue<string>());
        Assert.Equal(CaseId, Assert.Single(Posts(salesforce, "POST", "/sobjects/CaseComment"))["ParentId"]!.GetValue<string>());
        // HubSpot: the company and the contact (e-mail as HubSpot keys it, lower case), the ticket associated with both, one note.
        Assert.Equal("Ærø \"Heat\" O'Brien Ltd", Assert.Single(Posts(hubSpot, "POST", "/companies/batch/upsert"))["inputs"]![0]!["properties"]!["name"]!.GetValue<string>());
        Assert.Equal("soren.obrien@example.com", Assert.Single(Posts(hubSpot, "POST", "/contacts/batch/upsert"))["inputs"]![0]!["id"]!.GetValue<string>());
        Assert.Equal(
            [$"/crm/v4/objects/tickets/{TicketId}/associations/default/contacts/5102", $"/crm/v4/objects/tickets/{TicketId}/associations/default/companies/7301"],
            hubSpot.LogEntries.Where(e => e.RequestMessage.Method == "PUT").Select(e => e.RequestMessage.Path));
        Assert.Single(Posts(hubSpot, "POST", "/crm/v3/objects/notes"));
        // QuickBooks: the customer created from the job, the invoice on it, sent once to the address as Jobber has it.
        Assert.Equal("59", await worker.XrefAsync("quickbooks", "Customer", JobberClientId));
        Assert.Equal("Soren.OBrien@Example.COM", Assert.Single(_quickBooks.Calls("POST", "/send")).QueryParam("sendTo"));
        // BambooHR: both technicians found by work e-mail whatever its case, one record each.
        var records = _bambooHr.LogEntries.Where(e => e.RequestMessage.Path == "/api/v1/timetracking/record")
            .SelectMany(e => JsonNode.Parse(e.RequestMessage.Body!)!.AsArray()).Select(r => r!["employeeId"]!.ToString()).Order(StringComparer.Ordinal);
        Assert.Equal(["501", "502"], records);
    }

    private static List<string> Keys(List<DeliveryPipeline.ConnectorRow> rows, string connector) =>
        rows.Where(r => r.Connector == connector).Select(r => r.OperationKey).ToList();

    private static List<JsonNode> Posts(WireMockServer server, string method, string pathPart) => server.LogEntries
        .Where(e => e.RequestMessage.Method == method && e.RequestMessage.Path.Contains(pathPart, StringComparison.Ordinal))
        .Select(e => JsonNode.Parse(e.RequestMessage.Body!)!).ToList();

    private static void ArrangeSalesforce(WireMockServer salesforce)
    {
        salesforce.Given(Request.Create().WithPath("/services/oauth2/token").UsingPost()).RespondWith(JsonReply(200, $$"""
            {"access_token": "00DDn000001aBcD!AQ8AQExampleTokenValue", "instance_url": "{{salesforce.Url}}", "token_type": "Bearer",
             "issued_at": "1748947200000", "signature": "nUFHwtfIGLKDTHcLWmDBG8frv0tHQGl/iCZFIQUarE0=", "scope": "api"}
            """));
        salesforce.Given(Request.Create().WithPath(new WildcardMatcher("/services/data/v62.0/sobjects/Account/FS_Customer_Id__c/*")).UsingPatch())
            .RespondWith(JsonReply(201, $$"""{"id": "{{AccountId}}", "success": true, "errors": [], "created": true}"""));
        salesforce.Given(Request.Create().WithPath(new WildcardMatcher("/services/data/v62.0/sobjects/Case/FS_Job_Id__c/*")).UsingPatch())
            .RespondWith(JsonReply(201, $$"""{"id": "{{CaseId}}", "success": true, "errors": [], "created": true}"""));
        salesforce.Given(Request.Create().WithPath("/services/data/v62.0/sobjects/CaseComment").UsingPost())
            .RespondWith(JsonReply(201, """{"id": "00aDn000002QwErIAK", "success": true, "errors": []}"""));
    }

    private static void ArrangeHubSpot(WireMockServer hubSpot)
    {
        hubSpot.Given(Request.Create().WithPath("/crm/v3/objects/companies/batch/upsert").UsingPost())
            .RespondWith(JsonReply(200, """{"status": "COMPLETE", "results": [{"id": "7301", "new": true, "properties": {}}]}"""));
        hubSpot.Given(Request.Create().WithPath("/crm/v3/objects/contacts/batch/upsert").UsingPost())
            .RespondWith(JsonReply(200, """{"status": "COMPLETE", "results": [{"id": "5102", "new": true, "properties": {"email": "soren.obrien@example.com"}}]}"""));
        hubSpot.Given(Request.Create().WithPath("/crm/v3/objects/tickets/batch/upsert").UsingPost())
            .RespondWith(JsonReply(200, $$$"""{"status": "COMPLETE", "results": [{"id": "{{{TicketId}}}", "new": true, "properties": {"fs_job_id": "{{{JobberJobId}}}"}}]}"""));
        hubSpot.Given(Request.Create().WithPath(new WildcardMatcher($"/crm/v4/objects/tickets/{TicketId}/associations/default/*")).UsingPut())
            .RespondWith(JsonReply(200, """{"fromObjectTypeId": "0-5", "toObjectTypeId": "0-1"}"""));
        hubSpot.Given(Request.Create().WithPath(new WildcardMatcher("/crm/v3/objects/tickets/*")).UsingPatch())
            .RespondWith(JsonReply(200, $$$"""{"id": "{{{TicketId}}}", "properties": {"hs_pipeline_stage": "4"}}"""));
        hubSpot.Given(Request.Create().WithPath("/crm/v3/objects/notes").UsingPost())
            .RespondWith(JsonReply(201, """{"id": "58123456789", "properties": {}}"""));
    }
}
