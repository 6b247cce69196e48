using System.Text.Json;
using FieldOps.Integration.Core.Connectors;
using FieldOps.Integration.Core.Credentials;
using FieldOps.Integration.Testing;
using Microsoft.Extensions.DependencyInjection;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace FieldOps.Connectors.Salesforce.Tests;

/// <summary>The connector through the host's real credentials store: a refused session is re-minted once, one at a time.</summary>
public sealed class SalesforceCredentialsStoreTests : IDisposable
{
    private const string AccountPath = "sobjects/Account/FS_Customer_Id__c/CUST-1001";
    private readonly WireMockServer _instance = WireMockServer.Start();
    private readonly SalesforceHarness _harness;

    public SalesforceCredentialsStoreTests() => _harness = new SalesforceHarness(_instance, realCredentials: true);

    public void Dispose()
    {
        _harness.Dispose();
        _instance.Stop();
    }

    [Fact]
    public async Task Deliver_OnInvalidSessionId_RefreshThroughTheStoreMintsOnceAndTheRetryDelivers()
    {
        // The first token is expired at the org; after one re-mint the token endpoint hands out a fresh one.
        _harness.Login.Reset();
        _harness.Login.Given(Request.Create().WithPath("/services/oauth2/token").UsingPost()).InScenario("mint").WillSetStateTo("minted")
            .RespondWith(TokenResponse("00DExpired"));
        _harness.Login.Given(Request.Create().WithPath("/services/oauth2/token").UsingPost()).InScenario("mint").WhenStateIs("minted")
            .RespondWith(TokenResponse("00DFresh"));
        _instance.Given(Request.Create().WithPath(SalesforceHarness.Path(AccountPath)).UsingPatch().WithHeader("Authorization", "Bearer 00DExpired"))
            .RespondWith(VendorAnswers.FromFixture("error-session-expired-401.json"));
        _instance.Given(Request.Create().WithPath(SalesforceHarness.Path(AccountPath)).UsingPatch().WithHeader("Authorization", "Bearer 00DFresh"))
            .RespondWith(VendorAnswers.FromFixture("upsert-account-created.json"));
        var tokens = _harness.Services.GetRequiredService<IAccessTokenProvider>();
        var operation = Operations.Upsert("CUST-1001", """{"Name": "Harbor View Dental"}""");

        var first = await _harness.Connector.DeliverAsync(operation, default);
        Assert.Equal(OutcomeKind.AuthExpired, first.Kind);
        var rejectedAt = DateTimeOffset.UtcNow;
        // The dispatcher's one refresh; two callers at once still make one token call.
        await Task.WhenAll(tokens.RefreshAsync("salesforce:default", rejectedAt, default), tokens.RefreshAsync("salesforce:default", rejectedAt, default));
        var second = await _harness.Connector.DeliverAsync(operation, default);

        Assert.Equal(OutcomeKind.Delivered, second.Kind);
        Assert.Equal("001Dn00000AbCdEIAV", second.TargetId);
        Assert.Equal(2, _harness.Login.LogEntries.Count);
        Assert.Equal(_instance.Url!.TrimEnd('/'), (await tokens.GetAccessTokenAsync("salesforce:default", default)).Properties["instance_url"]);
    }

    [Fact]
    public async Task Deliver_WhenTheTokenEndpointSaysInvalidGrant_MarksTheConnectionBroken()
    {
        _harness.Login.Reset();
        _harness.Login.Given(Request.Create().WithPath("/services/oauth2/token").UsingPost())
            .RespondWith(VendorAnswers.FromFixture("oauth-token-error-invalid-grant.json"));
        var outcome = await _harness.Connector.DeliverAsync(Operations.Upsert("CUST-1001", """{"Name": "x"}"""), default);
        Assert.Equal(OutcomeKind.ConnectionBroken, outcome.Kind);
        Assert.True(_harness.Services.GetRequiredService<ConnectionStatus>().Broken.ContainsKey("salesforce:default"));
    }

    private IResponseBuilder TokenResponse(string accessToken) =>
        Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json").WithBody(JsonSerializer.Serialize(new Dictionary<string, string>
        {
            ["access_token"] = accessToken,
            ["instance_url"] = _instance.Url!.TrimEnd('/'),
            ["token_type"] = "Bearer",
            ["issued_at"] = "1748947200000",
        }));
}
