using FieldOps.Integration.Core.Connectors;
using FieldOps.Integration.Core.Credentials;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace FieldOps.Connectors.HubSpot.Tests;

/// <summary>OAuth through the real credentials store: the token call's shape, refresh before expires_in, rotation, invalid grants.</summary>
public sealed class HubSpotOAuthTests : IDisposable
{
    private readonly WireMockServer _server = WireMockServer.Start();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 26, 18, 0, 0, TimeSpan.Zero));

    public void Dispose() => _server.Stop();

    [Fact]
    public async Task RequestToken_PostsTheRefreshGrantAndReturnsExpiresIn()
    {
        using var harness = new HubSpotHarness(_server, oauth: true);
        var endpoint = harness.Services.GetRequiredKeyedService<ITokenEndpoint>("hubspot:default");
        var grant = await endpoint.RequestTokenAsync(endpoint.SeedRefreshToken, default);
        Assert.Equal(HubSpotHarness.OAuthToken, grant.AccessToken);
        Assert.Equal(TimeSpan.FromSeconds(1800), grant.ExpiresIn);
        Assert.Equal("na1-1111-2222-3333-4444-555566667777", grant.RefreshToken);
        var form = Assert.Single(_server.LogEntries).RequestMessage.Body!.Split('&').Select(p => p.Split('=')).ToDictionary(p => p[0], p => Uri.UnescapeDataString(p[1]));
        Assert.Equal("refresh_token", form["grant_type"]);
        Assert.Equal("a1b2c3d4-0000-4000-8000-000000000001", form["client_id"]);
        Assert.Equal("example-client-secret", form["client_secret"]);
        Assert.Equal("na1-1111-2222-3333-4444-555566667777", form["refresh_token"]);
    }

    [Fact]
    public async Task RequestToken_OnBadRefreshToken_ThrowsConnectionBroken()
    {
        using var harness = new HubSpotHarness(_server, oauth: true);
        _server.Reset();
        _server.Given(Request.Create().WithPath("/oauth/v3/token").UsingPost()).RespondWith(Response.Create().WithStatusCode(400)
            .WithHeader("Content-Type", "application/json").WithBody("""{"status": "BAD_REFRESH_TOKEN", "message": "missing or unknown refresh token"}"""));
        var endpoint = harness.Services.GetRequiredKeyedService<ITokenEndpoint>("hubspot:default");
        var ex = await Assert.ThrowsAsync<ConnectionBrokenException>(() => endpoint.RequestTokenAsync("na1-revoked", default));
        Assert.Contains("BAD_REFRESH_TOKEN", ex.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deliver_RefreshesBeforeExpiresIn_WithoutWaitingForA401_AndUsesTheRotatedRefreshToken()
    {
        using var harness = new HubSpotHarness(_server, oauth: true, time: _time);
        _server.Reset();
        _server.Given(Request.Create().WithPath("/oauth/v3/token").UsingPost()).InScenario("t").WillSetStateTo("rotated")
            .RespondWith(Token("at-1", "rt-2"));
        _server.Given(Request.Create().WithPath("/oauth/v3/token").UsingPost().WithBody(b => b!.Contains("refresh_token=rt-2", StringComparison.Ordinal)))
            .InScenario("t").WhenStateIs("rotated").RespondWith(Token("at-2", "rt-3"));
        harness.Answer("PATCH", "tickets/JOB-1", "ticket-close.json");

        Assert.True(harness.Services.GetRequiredService<IAccessTokenProvider>().Knows("hubspot:default"));
        await harness.Connector.DeliverAsync(Operations.CloseTicket("JOB-1"), default);
        _time.Advance(TimeSpan.FromMinutes(29)); // inside the refresh skew of a 30-minute token
        var outcome = await harness.Connector.DeliverAsync(Operations.CloseTicket("JOB-1"), default);

        Assert.Equal(OutcomeKind.Delivered, outcome.Kind);
        var auth = _server.LogEntries.Where(e => e.RequestMessage.Path.Contains("tickets", StringComparison.Ordinal))
            .Select(e => e.RequestMessage.Headers!["Authorization"].Single()).ToList();
        Assert.Equal(["Bearer at-1", "Bearer at-2"], auth);
        Assert.Equal(2, _server.LogEntries.Count(e => e.RequestMessage.Path == "/oauth/v3/token"));
    }

    [Fact]
    public void PrivateAppMode_RegistersNoTokenEndpoint_SoA401IsNotRefreshed()
    {
        using var harness = new HubSpotHarness(_server);
        Assert.False(harness.Services.GetRequiredService<IAccessTokenProvider>().Knows("hubspot:default"));
    }

    private static IResponseBuilder Token(string access, string refresh) =>
        Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json")
            .WithBody($$"""{"token_type": "bearer", "access_token": "{{access}}", "refresh_token": "{{refresh}}", "expires_in": 1800, "hub_id": 24681357}""");
}
