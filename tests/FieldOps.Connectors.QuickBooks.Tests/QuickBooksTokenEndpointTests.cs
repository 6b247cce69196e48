using System.Text;
using FieldOps.Connectors.QuickBooks.Tests.Support;
using FieldOps.Integration.Core.Credentials;
using Microsoft.Extensions.DependencyInjection;
using WireMock.RequestBuilders;
using WireMock.Server;
using static FieldOps.Integration.Testing.VendorAnswers;
using FieldOps.Integration.Testing;

namespace FieldOps.Connectors.QuickBooks.Tests;

/// <summary>The Intuit token call, straight against WireMock.</summary>
public sealed class QuickBooksTokenEndpointTests : IDisposable
{
    private const string TokenPath = "/oauth2/v1/tokens/bearer";
    private readonly WireMockServer _server = WireMockServer.Start();
    private readonly QuickBooksTestHost _host;

    public QuickBooksTokenEndpointTests() => _host = new QuickBooksTestHost(_server,
        new Dictionary<string, string?> { ["Connectors:QuickBooks:RefreshToken"] = "AB11757000000exampleRefreshTokenValue" });

    private ITokenEndpoint Endpoint => _host.Services.GetRequiredKeyedService<ITokenEndpoint>(QuickBooksOptions.ConnectionName);

    [Fact]
    public async Task RequestToken_WithRefreshToken_ReturnsTheRotatedRefreshToken()
    {
        _server.Given(Request.Create().WithPath(TokenPath).UsingPost()).RespondWith(FromFixture("oauth-token-response.json"));

        var grant = await Endpoint.RequestTokenAsync(Endpoint.SeedRefreshToken, CancellationToken.None);

        Assert.Equal("eyJlbmMiOiJBMTI4Q0JDLUhTMjU2IiwiYWxnIjoiZGlyIn0..example", grant.AccessToken);
        Assert.Equal("AB11765432100exampleRotatedRefreshToken", grant.RefreshToken);
        Assert.Equal(TimeSpan.FromSeconds(3600), grant.ExpiresIn);
        var call = Assert.Single(_server.Calls("POST", TokenPath));
        Assert.Equal("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("ABcdEfGhIjKlMnOp:s3cr3t")), call.Header("Authorization"));
        Assert.Equal("grant_type=refresh_token&refresh_token=AB11757000000exampleRefreshTokenValue", call.RequestMessage.Body);
    }

    [Fact]
    public async Task RequestToken_OnInvalidGrant_ThrowsConnectionBroken()
    {
        _server.Given(Request.Create().WithPath(TokenPath).UsingPost())
            .RespondWith(JsonReply(400, """{"error":"invalid_grant","error_description":"Incorrect Token type or clientID"}"""));

        var broken = await Assert.ThrowsAsync<ConnectionBrokenException>(() => Endpoint.RequestTokenAsync("old", CancellationToken.None));

        Assert.Equal(QuickBooksOptions.ConnectionName, broken.Connection);
        Assert.Contains("invalid_grant", broken.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain("old", broken.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RequestToken_OnServerError_ThrowsPassingHttpError()
    {
        _server.Given(Request.Create().WithPath(TokenPath).UsingPost()).RespondWith(JsonReply(503, "{}"));

        await Assert.ThrowsAsync<HttpRequestException>(() => Endpoint.RequestTokenAsync("rt", CancellationToken.None));
    }

    [Fact]
    public async Task ExchangeCode_PostsAuthorizationCodeGrant()
    {
        _server.Given(Request.Create().WithPath(TokenPath).UsingPost()).RespondWith(FromFixture("oauth-token-response.json"));
        var endpoint = _host.Services.GetRequiredService<QuickBooksTokenEndpoint>();

        var grant = await endpoint.ExchangeCodeAsync("code-123", new Uri("https://localhost/callback"), CancellationToken.None);

        Assert.Equal("AB11765432100exampleRotatedRefreshToken", grant.RefreshToken);
        Assert.Equal("grant_type=authorization_code&code=code-123&redirect_uri=https%3A%2F%2Flocalhost%2Fcallback",
            Assert.Single(_server.Calls("POST", TokenPath)).RequestMessage.Body);
    }

    public void Dispose()
    {
        _host.Dispose();
        _server.Stop();
    }
}
