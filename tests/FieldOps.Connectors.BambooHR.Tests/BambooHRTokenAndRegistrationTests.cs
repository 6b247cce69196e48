using FieldOps.Connectors.BambooHR.Tests.Support;
using FieldOps.Integration.Core.Connectors;
using FieldOps.Integration.Core.Credentials;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using WireMock.RequestBuilders;
using WireMock.Server;
using static FieldOps.Integration.Testing.VendorAnswers;
using FieldOps.Integration.Testing;

namespace FieldOps.Connectors.BambooHR.Tests;

public sealed class BambooHRTokenAndRegistrationTests : IDisposable
{
    private readonly WireMockServer _server = WireMockServer.Start();

    private BambooHRTestHost OAuthHost() => new(_server.Url!, new Dictionary<string, string?>
    {
        ["Connectors:BambooHR:AuthMode"] = "OAuth",
        ["Connectors:BambooHR:RefreshToken"] = "def50200exampleRefreshToken",
    });

    [Fact]
    public async Task RequestToken_WithRefreshToken_PostsClientCredentialsAndReturnsTheRotatedToken()
    {
        using var host = OAuthHost();
        _server.Given(Request.Create().WithPath("/token.php").WithParam("request", "token").UsingPost()).RespondWith(FromFixture("oauth-token-response.json"));
        var endpoint = host.Services.GetRequiredKeyedService<ITokenEndpoint>(BambooHROptions.ConnectionName);

        var grant = await endpoint.RequestTokenAsync(endpoint.SeedRefreshToken, CancellationToken.None);

        Assert.Equal("def50200exampleRotatedRefreshToken", grant.RefreshToken);
        Assert.Equal(TimeSpan.FromSeconds(3600), grant.ExpiresIn);
        Assert.Equal("client_id=example-client-id&client_secret=example-client-secret&grant_type=refresh_token&refresh_token=def50200exampleRefreshToken",
            Assert.Single(_server.Calls("POST", "/token.php")).RequestMessage.Body);
    }

    [Fact]
    public async Task RequestToken_OnInvalidGrant_ThrowsConnectionBroken()
    {
        using var host = OAuthHost();
        _server.Given(Request.Create().WithPath("/token.php").UsingPost()).RespondWith(JsonReply(400, """{"error":"invalid_grant"}"""));
        var endpoint = host.Services.GetRequiredKeyedService<ITokenEndpoint>(BambooHROptions.ConnectionName);

        var broken = await Assert.ThrowsAsync<ConnectionBrokenException>(() => endpoint.RequestTokenAsync("old", CancellationToken.None));

        Assert.Equal(BambooHROptions.ConnectionName, broken.Connection);
    }

    [Fact]
    public void AddBambooHRConnector_InApiKeyMode_RegistersNoTokenEndpoint()
    {
        using var host = new BambooHRTestHost(_server.Url!);
        Assert.Null(host.Services.GetKeyedService<ITokenEndpoint>(BambooHROptions.ConnectionName));
        Assert.Contains(host.Services.GetServices<IConnector>(), c => c.Name == "bamboohr");
    }

    [Fact]
    public void AddBambooHRConnector_WithoutSection_RegistersOnlyItsKind()
    {
        var services = new ServiceCollection();
        services.AddBambooHRConnector(new ConfigurationBuilder().Build());
        Assert.Equal(typeof(ConnectorKind), Assert.Single(services).ServiceType);
    }

    [Fact]
    public void Options_InApiKeyModeWithoutKey_FailNamingTheEnvironmentVariable()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Connectors:BambooHR:BaseUrl"] = "https://acmefield.bamboohr.com",
            ["Connectors:BambooHR:DefaultRateType"] = "XX",
        }).Build();
        var services = new ServiceCollection();
        services.AddBambooHRConnector(configuration);
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<BambooHROptions>>().Value);

        Assert.Contains("Connectors__BambooHR__ApiKey", error.Message, StringComparison.Ordinal);
        Assert.Contains("found 'XX'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConnectionCheck_ReadsUsers_ReportsTheCount()
    {
        using var host = new BambooHRTestHost(_server.Url!);
        _server.Given(Request.Create().WithPath("/api/v1/meta/users").UsingGet()).RespondWith(JsonReply(200, """
            {"1":{"id":1,"employeeId":117,"firstName":"Ana","lastName":"Ruiz","email":"ana@acmefield.com","status":"enabled"},
             "2":{"id":2,"employeeId":0,"firstName":"Admin","lastName":"User","email":"admin@acmefield.com","status":"enabled"}}
            """));
        var check = host.Services.GetServices<IConnectionCheck>().Single(c => c.Name == "bamboohr");

        var steps = await check.CheckAsync(CancellationToken.None);

        Assert.All(steps, s => Assert.True(s.Ok, s.Detail));
        Assert.Contains("2 users", steps[1].Detail, StringComparison.Ordinal);
        Assert.DoesNotContain(BambooHRTestHost.ApiKey, string.Join(" ", steps.Select(s => s.Detail)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConnectionCheck_WhenBambooHRAnswersAfterTheTimeout_ReportsItUnreachableInsteadOfThrowing()
    {
        // Refit wraps the client's timeout in ApiRequestException, which is not an HttpRequestException: the check threw it.
        using var host = new BambooHRTestHost(_server.Url!, new Dictionary<string, string?> { ["Connectors:BambooHR:Timeout"] = "00:00:00.500" });
        _server.Given(Request.Create().WithPath("/api/v1/meta/users").UsingGet()).RespondWith(JsonReply(200, "{}").WithDelay(TimeSpan.FromSeconds(3)));
        var check = host.Services.GetServices<IConnectionCheck>().Single(c => c.Name == "bamboohr");

        var steps = await check.CheckAsync(CancellationToken.None);

        var read = steps.Single(s => s.What == "read");
        Assert.False(read.Ok);
        Assert.Contains("unreachable", read.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConnectionCheck_WhenKeyRefused_ReportsBambooHRsWords()
    {
        using var host = new BambooHRTestHost(_server.Url!);
        _server.Given(Request.Create().WithPath("/api/v1/meta/users").UsingGet()).RespondWith(FromFixture("auth-401.json"));
        var check = host.Services.GetServices<IConnectionCheck>().Single(c => c.Name == "bamboohr");

        var steps = await check.CheckAsync(CancellationToken.None);

        Assert.False(steps[1].Ok);
        Assert.Contains("Invalid API credentials.", steps[1].Detail, StringComparison.Ordinal);
    }

    public void Dispose() => _server.Stop();
}
