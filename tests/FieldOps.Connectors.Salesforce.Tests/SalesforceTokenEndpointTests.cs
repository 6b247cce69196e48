using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using FieldOps.Integration.Core.Credentials;
using FieldOps.Integration.Testing;
using Microsoft.Extensions.DependencyInjection;
using WireMock.Server;

namespace FieldOps.Connectors.Salesforce.Tests;

/// <summary>The Salesforce token call, tested directly against WireMock: request shape, the two flows, invalid_grant.</summary>
public sealed class SalesforceTokenEndpointTests : IDisposable
{
    private readonly WireMockServer _instance = WireMockServer.Start();

    public void Dispose() => _instance.Stop();

    [Fact]
    public async Task RequestToken_ClientCredentials_PostsTheFormAndKeepsTheInstanceUrl()
    {
        using var harness = new SalesforceHarness(_instance);
        var grant = await Endpoint(harness).RequestTokenAsync(null, default);
        Assert.Equal(SalesforceHarness.Token, grant.AccessToken);
        Assert.Null(grant.RefreshToken);
        Assert.Null(grant.ExpiresIn);
        Assert.Equal(_instance.Url!.TrimEnd('/'), grant.Properties["instance_url"]);
        var request = Assert.Single(harness.Login.LogEntries).RequestMessage;
        Assert.StartsWith("application/x-www-form-urlencoded", request.Headers!["Content-Type"].Single(), StringComparison.Ordinal);
        Assert.Equal("grant_type=client_credentials&client_id=3MVG9ExampleConsumerKey&client_secret=ExampleConsumerSecret", request.Body);
    }

    [Fact]
    public async Task RequestToken_OnInvalidGrant_ThrowsConnectionBroken()
    {
        using var harness = new SalesforceHarness(_instance);
        harness.Login.Reset();
        harness.Login.Given(WireMock.RequestBuilders.Request.Create().WithPath("/services/oauth2/token").UsingPost())
            .RespondWith(VendorAnswers.FromFixture("oauth-token-error-invalid-grant.json"));
        var ex = await Assert.ThrowsAsync<ConnectionBrokenException>(() => Endpoint(harness).RequestTokenAsync(null, default));
        Assert.Equal("salesforce:default", ex.Connection);
        Assert.Contains("invalid_grant", ex.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RequestToken_OnServerFault_ThrowsHttpRequestException_NotBroken()
    {
        using var harness = new SalesforceHarness(_instance);
        harness.Login.Reset();
        harness.Login.Given(WireMock.RequestBuilders.Request.Create().WithPath("/services/oauth2/token").UsingPost())
            .RespondWith(WireMock.ResponseBuilders.Response.Create().WithStatusCode(503));
        await Assert.ThrowsAsync<HttpRequestException>(() => Endpoint(harness).RequestTokenAsync(null, default));
    }

    [Fact]
    public async Task RequestToken_JwtBearer_PostsAnRs256AssertionSignedWithTheKeyFromTheEnvironment()
    {
        using var rsa = RSA.Create(2048);
        var variable = "FIELDOPS_TEST_SF_KEY_" + Guid.NewGuid().ToString("N");
        Environment.SetEnvironmentVariable(variable, rsa.ExportPkcs8PrivateKeyPem());
        try
        {
            using var harness = new SalesforceHarness(_instance, new Dictionary<string, string?>
            {
                ["Connectors:Salesforce:AuthFlow"] = "JwtBearer",
                ["Connectors:Salesforce:ClientSecret"] = null,
                ["Connectors:Salesforce:Username"] = "integration@acme.example",
                ["Connectors:Salesforce:PrivateKeyVariable"] = variable,
            });
            await Endpoint(harness).RequestTokenAsync(null, default);
            var form = Assert.Single(harness.Login.LogEntries).RequestMessage.Body!.Split('&')
                .Select(p => p.Split('=')).ToDictionary(p => p[0], p => Uri.UnescapeDataString(p[1]));
            Assert.Equal("urn:ietf:params:oauth:grant-type:jwt-bearer", form["grant_type"]);
            var parts = form["assertion"].Split('.');
            Assert.True(rsa.VerifyData(Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]), FromBase64Url(parts[2]), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
            using var claims = JsonDocument.Parse(FromBase64Url(parts[1]));
            Assert.Equal("3MVG9ExampleConsumerKey", claims.RootElement.GetProperty("iss").GetString());
            Assert.Equal("integration@acme.example", claims.RootElement.GetProperty("sub").GetString());
            Assert.Equal("https://login.salesforce.com", claims.RootElement.GetProperty("aud").GetString());
            Assert.InRange(claims.RootElement.GetProperty("exp").GetInt64() - DateTimeOffset.UtcNow.ToUnixTimeSeconds(), 60, 200);
        }
        finally
        {
            Environment.SetEnvironmentVariable(variable, null);
        }
    }

    [Fact]
    public async Task RequestToken_JwtBearer_ReadsTheKeyFromAFile()
    {
        using var rsa = RSA.Create(2048);
        var path = Path.Combine(Path.GetTempPath(), "fieldops-sf-key-" + Guid.NewGuid().ToString("N") + ".pem");
        await File.WriteAllTextAsync(path, rsa.ExportRSAPrivateKeyPem());
        try
        {
            using var harness = new SalesforceHarness(_instance, new Dictionary<string, string?>
            {
                ["Connectors:Salesforce:AuthFlow"] = "JwtBearer",
                ["Connectors:Salesforce:Username"] = "integration@acme.example",
                ["Connectors:Salesforce:PrivateKeyPath"] = path,
            });
            await Endpoint(harness).RequestTokenAsync(null, default);
            var assertion = Uri.UnescapeDataString(Assert.Single(harness.Login.LogEntries).RequestMessage.Body!.Split("assertion=")[1]).Split('.');
            Assert.True(rsa.VerifyData(Encoding.ASCII.GetBytes(assertion[0] + "." + assertion[1]), FromBase64Url(assertion[2]), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static ITokenEndpoint Endpoint(SalesforceHarness harness) =>
        harness.Services.GetRequiredKeyedService<ITokenEndpoint>("salesforce:default");

    private static byte[] FromBase64Url(string text)
    {
        var padded = text.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(padded.PadRight(padded.Length + (4 - padded.Length % 4) % 4, '='));
    }
}
