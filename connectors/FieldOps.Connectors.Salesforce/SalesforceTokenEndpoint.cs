using System.Text.Json;
using FieldOps.Integration.Core.Credentials;
using Microsoft.Extensions.Options;

namespace FieldOps.Connectors.Salesforce;

/// <summary>
/// Mints a Salesforce access token (client credentials or JWT bearer) at <c>{LoginUrl}/services/oauth2/token</c>.
/// Neither flow has a refresh token or an <c>expires_in</c>: a new token is minted whenever the old one is refused.
/// </summary>
internal sealed class SalesforceTokenEndpoint(IHttpClientFactory httpClients, IOptions<SalesforceOptions> options, TimeProvider time) : ITokenEndpoint
{
    public const string HttpClientName = "FieldOps.Salesforce.Token";
    public const string InstanceUrlProperty = "instance_url";

    public string? SeedRefreshToken => null;

    public async Task<TokenGrant> RequestTokenAsync(string? refreshToken, CancellationToken cancellationToken)
    {
        var o = options.Value;
        var form = o.AuthFlow == SalesforceAuthFlow.JwtBearer
            ? new Dictionary<string, string>
            {
                ["grant_type"] = "urn:ietf:params:oauth:grant-type:jwt-bearer",
                ["assertion"] = SalesforceJwtAssertion.Create(o, SalesforceJwtAssertion.ReadPrivateKey(o), time.GetUtcNow()),
            }
            : new Dictionary<string, string>
            {
                ["grant_type"] = "client_credentials",
                ["client_id"] = o.ClientId ?? "",
                ["client_secret"] = o.ClientSecret ?? "",
            };
        var client = httpClients.CreateClient(HttpClientName);
        using var content = new FormUrlEncodedContent(form);
        using var response = await client.PostAsync(new Uri(o.LoginUrl, "/services/oauth2/token"), content, cancellationToken).ConfigureAwait(false);
        var body = await ReadAsync(response, cancellationToken).ConfigureAwait(false);
        if (response.IsSuccessStatusCode && body?.AccessToken is { Length: > 0 } accessToken)
        {
            var properties = new Dictionary<string, string>(StringComparer.Ordinal);
            if (body.InstanceUrl is { Length: > 0 } instance)
                properties[InstanceUrlProperty] = instance;
            return new TokenGrant(accessToken, null, null, properties);
        }
        // 400 invalid_grant / invalid_client (and 401) mean the credentials themselves are wrong: no retry helps.
        if ((int)response.StatusCode is 400 or 401)
        {
            var reason = body?.Error is { Length: > 0 } error ? $"{error}: {body.ErrorDescription}" : $"HTTP {(int)response.StatusCode}";
            throw new ConnectionBrokenException(SalesforceConnector.ConnectionName, reason);
        }
        throw new HttpRequestException($"Salesforce token endpoint answered HTTP {(int)response.StatusCode}.", null, response.StatusCode);
    }

    private static async Task<SalesforceTokenResponse?> ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return text.TrimStart().StartsWith('{') ? JsonSerializer.Deserialize<SalesforceTokenResponse>(text, SalesforceJson.Options) : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
