using FieldOps.Integration.Host.Tests.Infrastructure;
using FieldOps.Integration.Host.Tests.Sources;
using FieldOps.Integration.Testing;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace FieldOps.Integration.Host.Tests.Startup;

/// <summary>
/// <c>fieldops validate --online</c> as a real process: Salesforce's describe and HubSpot's properties served by
/// WireMock.Net like the vendors answer them, read through the configured connectors, cached in the store with their
/// fetch time; then <c>--offline</c> with the vendors gone checks against the cache and shows its age.
/// </summary>
public sealed class ValidateOnlineTests : IDisposable
{
    private const string Flow = """
        kind: flow
        name: crm
        when:
          type: CustomerUpserted
        operations:
          - key: account
            connector: salesforce
            operation: upsert
            objectType: Account
            idempotencyKey: entity.id
            partitionKey: entity.id
            fields:
              Phone: entity.phones[0].number
              FS_Custmer_Id__c: entity.id
              AnnualRevenue: "'lots'"
              FS_Service_Tier__c: "'Standrd'"
            params:
              externalIdField: "'FS_Customer_Id__c'"
          - key: contact
            connector: hubspot
            operation: upsert
            objectType: contacts
            idempotencyKey: entity.id
            partitionKey: entity.id
            fields:
              email: entity.emails[0]
              fs_custmer_id: entity.id
              lifecyclestage: "'custmer'"
              hs_object_id: entity.id
            params:
              idProperty: "'email'"
        """;

    private const string Fixed = """
        kind: flow
        name: crm
        when:
          type: CustomerUpserted
        operations:
          - key: account
            connector: salesforce
            operation: upsert
            objectType: Account
            idempotencyKey: entity.id
            partitionKey: entity.id
            fields:
              Name: entity.displayName
              FS_Customer_Id__c: entity.id
              FS_Service_Tier__c: "'Standard'"
            params:
              externalIdField: "'FS_Customer_Id__c'"
          - key: contact
            connector: hubspot
            operation: upsert
            objectType: contacts
            idempotencyKey: entity.id
            partitionKey: entity.id
            fields:
              email: entity.emails[0]
              fs_customer_id: entity.id
              lifecyclestage: "'customer'"
            params:
              idProperty: "'email'"
        """;

    private readonly TempDirectory _directory = new();
    private readonly WireMockServer _vendors = WireMockServer.Start();

    public ValidateOnlineTests()
    {
        ServeVendors(null, null);
        Directory.CreateDirectory(Path.Combine(_directory.Path, "mappings", "flows"));
    }

    private void ServeVendors(IReadOnlyDictionary<string, string>? salesforceHeaders, IReadOnlyDictionary<string, string>? hubSpotHeaders)
    {
        _vendors.Reset();
        _vendors.Given(Request.Create().WithPath("/services/oauth2/token").UsingPost()).RespondWith(Response.Create().WithHeader("Content-Type", "application/json")
            .WithBody($$"""{"access_token":"00DToken","instance_url":"{{_vendors.Url}}","token_type":"Bearer","issued_at":"1733299200000"}"""));
        // Describe and properties answers in the vendors' documented shape (Fixtures/target-schemas, sources in their _meta).
        TargetSchemaAnswers.Serve(_vendors, "v62.0", "00DToken", "pat-na1-test", salesforceHeaders, hubSpotHeaders);
    }

    private Dictionary<string, string> Environment() => new()
    {
        ["Store__ConnectionString"] = $"Data Source={Path.Combine(_directory.Path, "store.db")}",
        ["Credentials__KeysDirectory"] = Path.Combine(_directory.Path, "keys"),
        ["Mappings__Path"] = Path.Combine(_directory.Path, "mappings"),
        ["Connectors__Salesforce__LoginUrl"] = _vendors.Url!,
        ["Connectors__Salesforce__ClientId"] = "3MVG9ExampleConsumerKey",
        ["Connectors__Salesforce__ClientSecret"] = "ExampleConsumerSecret",
        ["Connectors__Salesforce__ApiVersion"] = "v62.0",
        ["Connectors__HubSpot__BaseUrl"] = _vendors.Url!,
        ["Connectors__HubSpot__AccessToken"] = "pat-na1-test",
    };

    private async Task<(int Exit, string Output)> ValidateAsync(params string[] flags)
    {
        await using var process = FieldOpsProcess.Start(_directory.Path, Environment(), ["validate", .. flags]);
        var exit = await process.WaitForExitAsync(TimeSpan.FromSeconds(90));
        return (exit, process.StandardOutput + process.StandardError);
    }

    private static string At(string text, string key)
    {
        var lines = text.Split('\n');
        var index = Array.FindIndex(lines, l => l.TrimStart().StartsWith(key + ":", StringComparison.Ordinal));
        Assert.True(index >= 0, key);
        return $"flows/crm.yaml:{index + 1}:";
    }

    [Fact]
    public async Task ValidateOnline_ReadsDescribeAndProperties_ShippedFlowsPass_ThenOfflineCatchesEachKindOfMistakeFromTheCacheAndShowsItsAge()
    {
        // The shipped flows, read online: every Salesforce object and HubSpot object type they write is read once.
        var (exit, output) = await ValidateAsync("--online", RepositoryPaths.Mappings);

        Assert.True(exit == 0, output);
        Assert.Contains("salesforce: reading the describe of 3 object(s): 3 read-only API call(s), counted against the org's daily API request limit", output, StringComparison.Ordinal);
        Assert.Contains("hubspot: reading the properties of 4 object type(s): 4 read-only call(s), counted against the app's rate limit", output, StringComparison.Ordinal);
        Assert.Contains("salesforce Case: schema fetched ", output, StringComparison.Ordinal);
        Assert.Contains("hubspot tickets: schema fetched ", output, StringComparison.Ordinal);
        Assert.Contains("(just now)", output, StringComparison.Ordinal);
        // These answers carry no limit header: the command says so rather than guess the usage.
        Assert.Contains("salesforce: no limit header sent (Sforce-Limit-Info); the org's API usage is not known here", output, StringComparison.Ordinal);
        Assert.Contains("hubspot: no limit header sent (X-HubSpot-RateLimit-*); the portal's usage is not known here", output, StringComparison.Ordinal);
        foreach (var name in TargetSchemaAnswers.SalesforceObjects)
            Assert.Equal(1, _vendors.LogEntries.Count(e => e.RequestMessage.Path == $"/services/data/v62.0/sobjects/{name}/describe"));
        foreach (var name in TargetSchemaAnswers.HubSpotObjects)
            Assert.Equal(1, _vendors.LogEntries.Count(e => e.RequestMessage.Path == $"/crm/v3/properties/{name}"));

        // The vendors are gone: --offline checks against what the store kept, and says how old it is.
        _vendors.Stop();
        var flow = Path.Combine(_directory.Path, "mappings", "flows", "crm.yaml");
        await File.WriteAllTextAsync(flow, Flow);
        var (offlineExit, offline) = await ValidateAsync("--offline");

        Assert.True(offlineExit == 1, offline);
        Assert.Matches(@"salesforce Account: schema fetched \d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC \((just now|\d+ min ago)\)", offline);
        Assert.Contains("hubspot contacts: schema fetched ", offline, StringComparison.Ordinal);
        AssertMistakes(offline);

        // Fixed: the custom field and property (FS_Customer_Id__c, fs_customer_id) pass like standard ones.
        await File.WriteAllTextAsync(flow, Fixed);
        var (fixedExit, fixedOutput) = await ValidateAsync("--offline");
        Assert.True(fixedExit == 0, fixedOutput);

        // Without --online/--offline only the shipped schemas are used: the same mistakes are not seen.
        await File.WriteAllTextAsync(flow, Flow);
        var (plainExit, plain) = await ValidateAsync();
        Assert.True(plainExit == 0, plain);
    }

    [Fact]
    public async Task ValidateOnline_VendorsSendLimitHeaders_PrintsEachVendorsOwnUsageFigureAfterTheReads()
    {
        // Sforce-Limit-Info: api-usage=used/limit (Salesforce REST API, "Limit Info Header"); HubSpot's daily pair and
        // its rolling-window pair. The last answer read is the one shown.
        ServeVendors(
            new Dictionary<string, string> { ["Sforce-Limit-Info"] = "api-usage=18/15000" },
            new Dictionary<string, string>
            {
                ["X-HubSpot-RateLimit-Daily"] = "250000",
                ["X-HubSpot-RateLimit-Daily-Remaining"] = "249990",
                ["X-HubSpot-RateLimit-Max"] = "100",
                ["X-HubSpot-RateLimit-Remaining"] = "99",
                ["X-HubSpot-RateLimit-Interval-Milliseconds"] = "10000",
            });
        await File.WriteAllTextAsync(Path.Combine(_directory.Path, "mappings", "flows", "crm.yaml"), Fixed);

        var (exit, output) = await ValidateAsync("--online");

        Assert.True(exit == 0, output);
        Assert.Contains("salesforce: the org says api-usage=18/15000 (Sforce-Limit-Info): 14982 API requests left in its 24-hour limit", output, StringComparison.Ordinal);
        Assert.Contains("hubspot: the portal says 249990 of 250000 requests left today (X-HubSpot-RateLimit-Daily-Remaining/-Daily); 99 of 100 left per 10 s (X-HubSpot-RateLimit-Remaining/-Max)", output, StringComparison.Ordinal);
        Assert.DoesNotContain("no limit header sent", output, StringComparison.Ordinal);
    }

    private static void AssertMistakes(string output)
    {
        Assert.Contains(At(Flow, "FS_Custmer_Id__c") + "7: operations[0].fields.FS_Custmer_Id__c: unknown field 'FS_Custmer_Id__c' of Salesforce Account (Salesforce describe fetched ", output, StringComparison.Ordinal);
        Assert.Contains("(did you mean 'FS_Customer_Id__c'?", output, StringComparison.Ordinal);
        Assert.Contains(At(Flow, "AnnualRevenue") + "23: operations[0].fields.AnnualRevenue: Salesforce Account.AnnualRevenue is a decimal (currency); the literal 'lots' does not fit", output, StringComparison.Ordinal);
        Assert.Contains(At(Flow, "FS_Service_Tier__c") + "28: operations[0].fields.FS_Service_Tier__c: 'Standrd' is not a valid value of Salesforce Account.FS_Service_Tier__c (did you mean 'Standard'?); allowed: Standard, Priority, Contract", output, StringComparison.Ordinal);
        Assert.Contains(At(Flow, "fields") + "5: operations[0].fields: Salesforce Account requires 'Name', which this operation does not produce", output, StringComparison.Ordinal);
        Assert.Contains(At(Flow, "fs_custmer_id") + "7: operations[1].fields.fs_custmer_id: unknown field 'fs_custmer_id' of HubSpot contacts (HubSpot properties fetched ", output, StringComparison.Ordinal);
        Assert.Contains(At(Flow, "lifecyclestage") + "24: operations[1].fields.lifecyclestage: 'custmer' is not a valid value of HubSpot contacts.lifecyclestage (did you mean 'customer'?); allowed: subscriber, lead, marketingqualifiedlead, salesqualifiedlead, opportunity, customer, evangelist, other", output, StringComparison.Ordinal);
        Assert.Contains(At(Flow, "hs_object_id") + "7: operations[1].fields.hs_object_id: HubSpot contacts.hs_object_id is read-only", output, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        _vendors.Stop();
        _directory.Dispose();
    }
}
