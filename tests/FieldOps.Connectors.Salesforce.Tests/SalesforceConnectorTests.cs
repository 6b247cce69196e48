using System.Text.Json;
using FieldOps.Integration.Core.Connectors;
using FieldOps.Integration.Testing;
using WireMock.Server;

namespace FieldOps.Connectors.Salesforce.Tests;

/// <summary>Every Salesforce behaviour of the fact sheet beyond the contract, against WireMock.</summary>
public sealed class SalesforceConnectorTests : IDisposable
{
    private const string AccountPath = "sobjects/Account/FS_Customer_Id__c/CUST-1001";
    private readonly WireMockServer _instance = WireMockServer.Start();
    private readonly SalesforceHarness _harness;

    public SalesforceConnectorTests() => _harness = new SalesforceHarness(_instance);

    public void Dispose()
    {
        _harness.Dispose();
        _instance.Stop();
    }

    [Fact]
    public async Task Upsert_WhenRecordExists_ReturnsDeliveredWithTheSameId()
    {
        _harness.Answer("PATCH", AccountPath, "upsert-account-updated.json");
        var outcome = await _harness.Connector.DeliverAsync(Operations.Upsert("CUST-1001", """{"Name": "Harbor View Dental"}"""), default);
        Assert.Equal(OutcomeKind.Delivered, outcome.Kind);
        Assert.Equal("001Dn00000AbCdEIAV", outcome.TargetId);
        Assert.Equal(200, outcome.StatusCode);
    }

    [Fact]
    public async Task Upsert_SendsFieldsToTheExternalIdPathOnTheInstanceWithTheBearerToken()
    {
        _harness.Answer("PATCH", "sobjects/Case/FS_Job_Id__c/JOB-2024-0042", "upsert-case-by-job-id-created.json");
        var outcome = await _harness.Connector.DeliverAsync(
            Operations.Upsert("JOB-2024-0042", """{"Subject": "Water heater replacement - completed", "AccountId": "001Dn00000AbCdEIAV"}""", "Case", "FS_Job_Id__c"), default);
        Assert.Equal("500Dn00000XyZ12IAB", outcome.TargetId);
        Assert.Equal("Case", outcome.TargetType);
        var request = Assert.Single(_instance.LogEntries).RequestMessage;
        Assert.Equal("Bearer " + SalesforceHarness.Token, request.Headers!["Authorization"].Single());
        using var body = JsonDocument.Parse(request.Body!);
        Assert.Equal("001Dn00000AbCdEIAV", body.RootElement.GetProperty("AccountId").GetString());
        Assert.False(body.RootElement.TryGetProperty("FS_Job_Id__c", out _));
    }

    [Fact]
    public async Task Upsert_OnMultipleMatches300_ReturnsPermanent()
    {
        _harness.Answer("PATCH", AccountPath, 300,
            """["/services/data/v62.0/sobjects/Account/001Dn00000AbCdEIAV", "/services/data/v62.0/sobjects/Account/001Dn00000AbCe9IAF"]""");
        var outcome = await _harness.Connector.DeliverAsync(Operations.Upsert("CUST-1001", """{"Name": "Harbor View Dental"}"""), default);
        Assert.Equal(OutcomeKind.Permanent, outcome.Kind);
        Assert.Contains("001Dn00000AbCe9IAF", outcome.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Upsert_OnInvalidField_ReturnsPermanentWithTheMessage()
    {
        _harness.Answer("PATCH", AccountPath, "error-invalid-field.json");
        var outcome = await _harness.Connector.DeliverAsync(Operations.Upsert("CUST-1001", """{"FS_Region__c": "West"}"""), default);
        Assert.Equal(OutcomeKind.Permanent, outcome.Kind);
        Assert.Contains("INVALID_FIELD: No such column 'FS_Region__c'", outcome.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Upsert_OnRequiredFieldMissing_NamesTheFieldsForTheDeadLetter()
    {
        _harness.Answer("PATCH", "sobjects/Account/FS_Customer_Id__c/CUST-3003", "error-required-field-missing.json");
        var outcome = await _harness.Connector.DeliverAsync(Operations.Upsert("CUST-3003", """{"Phone": "+1 415 555 0100"}"""), default);
        Assert.Equal(OutcomeKind.Permanent, outcome.Kind);
        Assert.Equal(["Name"], outcome.Fields);
        Assert.Contains("REQUIRED_FIELD_MISSING", outcome.ResponseExcerpt, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Update_On412_ReturnsConflict()
    {
        _harness.Answer("PATCH", "sobjects/Case/500Dn00000XyZ12IAB", "error-precondition-failed-412.json");
        var outcome = await _harness.Connector.DeliverAsync(Operations.CloseCase("500Dn00000XyZ12IAB"), default);
        Assert.Equal(OutcomeKind.Conflict, outcome.Kind);
    }

    [Fact]
    public async Task Deliver_On403WithoutLimitCode_ReturnsPermanentNotThrottled()
    {
        _harness.Answer("PATCH", AccountPath, 403, """[{"message": "insufficient access rights on object id", "errorCode": "INSUFFICIENT_ACCESS_OR_READONLY"}]""");
        var outcome = await _harness.Connector.DeliverAsync(Operations.Upsert("CUST-1001", """{"Name": "x"}"""), default);
        Assert.Equal(OutcomeKind.Permanent, outcome.Kind);
    }

    [Fact]
    public async Task Deliver_WhenApiDisabledForOrg_ReturnsConnectionBroken()
    {
        _harness.Answer("PATCH", AccountPath, 403, """[{"message": "The REST API is not enabled for this Organization.", "errorCode": "API_DISABLED_FOR_ORG"}]""");
        var outcome = await _harness.Connector.DeliverAsync(Operations.Upsert("CUST-1001", """{"Name": "x"}"""), default);
        Assert.Equal(OutcomeKind.ConnectionBroken, outcome.Kind);
    }

    [Fact]
    public async Task Deliver_WhenTheCallTimesOut_ReturnsTransient()
    {
        using var slow = new SalesforceHarness(_instance, new Dictionary<string, string?> { ["Connectors:Salesforce:Timeout"] = "00:00:00.300" });
        _instance.Given(WireMock.RequestBuilders.Request.Create().WithPath(SalesforceHarness.Path(AccountPath)).UsingPatch())
            .RespondWith(WireMock.ResponseBuilders.Response.Create().WithStatusCode(200).WithDelay(TimeSpan.FromSeconds(2)));
        var outcome = await slow.Connector.DeliverAsync(Operations.Upsert("CUST-1001", """{"Name": "x"}"""), default);
        Assert.Equal(OutcomeKind.Transient, outcome.Kind);
        Assert.Contains("did not answer", outcome.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deliver_UpsertWithoutExternalIdField_ReturnsPermanentWithoutACall()
    {
        var operation = Operations.Create(OperationNames.Upsert, "Account", "CUST-1", """{"fields": {"Name": "x"}, "params": {}}""");
        var outcome = await _harness.Connector.DeliverAsync(operation, default);
        Assert.Equal(OutcomeKind.Permanent, outcome.Kind);
        Assert.Empty(_instance.LogEntries);
    }

    [Fact]
    public async Task Deliver_OnTokenEndpointInvalidGrant_ReturnsConnectionBroken()
    {
        _harness.Login.Reset();
        _harness.Login.Given(WireMock.RequestBuilders.Request.Create().WithPath("/services/oauth2/token").UsingPost())
            .RespondWith(VendorAnswers.FromFixture("oauth-token-error-invalid-grant.json"));
        var outcome = await _harness.Connector.DeliverAsync(Operations.Upsert("CUST-1001", """{"Name": "x"}"""), default);
        Assert.Equal(OutcomeKind.ConnectionBroken, outcome.Kind);
        Assert.Contains("invalid_grant", outcome.Message, StringComparison.Ordinal);
        Assert.Empty(_instance.LogEntries);
    }

    [Fact]
    public async Task Deliver_ReadsSforceLimitInfo_IntoTheRemainingAllocation()
    {
        _harness.Answer("PATCH", AccountPath, "upsert-account-created.json");
        await _harness.Connector.DeliverAsync(Operations.Upsert("CUST-1001", """{"Name": "x"}"""), default);
        var usage = _harness.Services.GetService(typeof(SalesforceApiUsage)) as SalesforceApiUsage;
        Assert.Equal(15000 - 18, usage!.Remaining);
    }

    [Fact]
    public async Task Throttled_MessageSaysTheUsageHeader()
    {
        _harness.Answer("PATCH", AccountPath, "error-request-limit-exceeded-403.json");
        var outcome = await _harness.Connector.DeliverAsync(Operations.Upsert("CUST-1001", """{"Name": "x"}"""), default);
        Assert.Equal(OutcomeKind.Throttled, outcome.Kind);
        Assert.Contains("api-usage=15001/15000", outcome.Message, StringComparison.Ordinal);
    }
}
