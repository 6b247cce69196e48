using System.Net.Http.Headers;
using FieldOps.Integration.Core.Credentials;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace FieldOps.Integration.Core.Tests.Credentials;

/// <summary>The one token call every source and connector uses, against a real HTTP server answering like token endpoints do.</summary>
public sealed class OAuthTokenCallTests : IDisposable
{
    private readonly WireMockServer _server = WireMockServer.Start();
    private readonly HttpClient _client = new();

    public void Dispose()
    {
        _client.Dispose();
        _server.Stop();
    }

    [Fact]
    public async Task Post_Success_ReadsTheGrantKeepsNamedMembersAsWrittenAndSendsClientAuth()
    {
        Answer(200, """{"access_token": "at", "refresh_token": "rt", "expires_in": "3600", "hub_id": 24681357, "scope": "x"}""");
        var grant = await PostAsync(["hub_id"], new AuthenticationHeaderValue("Basic", "Y2k6Y3M="));
        Assert.Equal(("at", "rt", TimeSpan.FromHours(1)), (grant.AccessToken, grant.RefreshToken, grant.ExpiresIn));
        Assert.Equal(new Dictionary<string, string> { ["hub_id"] = "24681357" }, grant.Properties);
        var request = Assert.Single(_server.LogEntries).RequestMessage;
        Assert.Equal("Basic Y2k6Y3M=", request.Headers!["Authorization"].Single());
        Assert.Equal("application/json", request.Headers["Accept"].Single());
        Assert.Equal("grant_type=refresh_token&refresh_token=old", request.Body);
    }

    [Fact]
    public async Task Post_KeepAll_KeepsEveryStringAndNumberButTheTokens()
    {
        Answer(200, """{"access_token": "at", "instance_url": "https://x", "issued_at": 17, "nested": {}}""");
        var grant = await PostAsync([OAuthTokenCall.KeepAll]);
        Assert.Equal(new Dictionary<string, string> { ["instance_url"] = "https://x", ["issued_at"] = "17" }, grant.Properties);
    }

    [Theory]
    [InlineData(400, """{"error": "invalid_grant", "error_description": "revoked"}""", "invalid_grant: revoked")]
    [InlineData(400, """{"status": "BAD_REFRESH_TOKEN", "message": "missing or unknown refresh token"}""", "BAD_REFRESH_TOKEN: missing")]
    [InlineData(401, "", "answered HTTP 401")]
    public async Task Post_GrantOrClientRefused_BreaksTheConnection(int status, string body, string reason)
    {
        Answer(status, body);
        var broken = await Assert.ThrowsAsync<ConnectionBrokenException>(() => PostAsync());
        Assert.Equal("acme:default", broken.Connection);
        Assert.Contains(reason, broken.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(503, """{"error": "temporarily_unavailable"}""")]
    [InlineData(400, """{"error": "slow_down: the issuer is busy"}""")]
    [InlineData(502, "<html>Bad gateway</html>")]
    [InlineData(200, """{"token_type": "bearer"}""")]
    [InlineData(200, """{"access_token": "at", """)]
    public async Task Post_AnythingElse_IsAPassingFault(int status, string body)
    {
        Answer(status, body);
        var fault = await Assert.ThrowsAsync<HttpRequestException>(() => PostAsync());
        Assert.Contains($"acme's token endpoint answered HTTP {status}", fault.Message, StringComparison.Ordinal);
    }

    private void Answer(int status, string body) =>
        _server.Given(Request.Create().WithPath("/token").UsingPost()).RespondWith(Response.Create().WithStatusCode(status).WithBody(body));

    private Task<TokenGrant> PostAsync(IReadOnlyList<string>? keep = null, AuthenticationHeaderValue? auth = null) =>
        OAuthTokenCall.PostAsync(_client, new Uri(_server.Url + "/token"),
            new Dictionary<string, string> { ["grant_type"] = "refresh_token", ["refresh_token"] = "old" },
            "acme:default", "acme's token endpoint", keep, CancellationToken.None, auth);
}
