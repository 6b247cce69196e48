using System.Text.Json;
using System.Text.Json.Serialization;
using FieldOps.Integration.Core.Credentials;
using Microsoft.Extensions.Options;

namespace FieldOps.Connectors.HubSpot;

/// <summary>
/// HubSpot's OAuth refresh (<c>POST /oauth/v3/token</c>, form <c>grant_type=refresh_token</c>). The answer's
/// <c>expires_in</c> lets the credentials store refresh ahead of expiry; a returned refresh token replaces the old one.
/// </summary>
internal sealed class HubSpotTokenEndpoint(IHttpClientFactory httpClients, IOptions<HubSpotOptions> options) : ITokenEndpoint
{
    public const string HttpClientName = "FieldOps.HubSpot.Token";

    public string? SeedRefreshToken => options.Value.RefreshToken;

    public async Task<TokenGrant> RequestTokenAsync(string? refreshToken, CancellationToken cancellationToken)
    {
        var o = options.Value;
        if (string.IsNullOrEmpty(refreshToken))
            throw new ConnectionBrokenException(HubSpotConnector.ConnectionName, "no refresh token: set Connectors__HubSpot__RefreshToken once to connect the app");
        using var content = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token",
            ["client_id"] = o.ClientId ?? "",
            ["client_secret"] = o.ClientSecret ?? "",
            ["refresh_token"] = refreshToken,
        });
        using var response = await httpClients.CreateClient(HttpClientName).PostAsync(o.TokenUrl, content, cancellationToken).ConfigureAwait(false);
        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        var body = HubSpotJson.Read<TokenResponse>(text);
        if (response.IsSuccessStatusCode && body?.AccessToken is { Length: > 0 } accessToken)
        {
            var properties = body.HubId is { } hub ? new Dictionary<string, string> { ["hub_id"] = hub.ToString() } : new Dictionary<string, string>();
            return new TokenGrant(accessToken, body.RefreshToken, body.ExpiresIn is { } s ? TimeSpan.FromSeconds(s) : null, properties);
        }
        // 400/401: invalid_grant / BAD_REFRESH_TOKEN / bad client — the app must be reconnected.
        if ((int)response.StatusCode is 400 or 401)
        {
            var reason = body?.Error is { Length: > 0 } error ? $"{error}: {body.ErrorDescription}"
                : body?.Status is { Length: > 0 } status ? $"{status}: {body.Message}"
                : $"HTTP {(int)response.StatusCode}";
            throw new ConnectionBrokenException(HubSpotConnector.ConnectionName, reason);
        }
        throw new HttpRequestException($"HubSpot token endpoint answered HTTP {(int)response.StatusCode}.", null, response.StatusCode);
    }

    private sealed record TokenResponse
    {
        [JsonPropertyName("access_token")]
        public string? AccessToken { get; init; }

        [JsonPropertyName("refresh_token")]
        public string? RefreshToken { get; init; }

        [JsonPropertyName("expires_in")]
        public long? ExpiresIn { get; init; }

        [JsonPropertyName("hub_id")]
        public JsonElement? HubId { get; init; }

        [JsonPropertyName("error")]
        public string? Error { get; init; }

        [JsonPropertyName("error_description")]
        public string? ErrorDescription { get; init; }

        public string? Status { get; init; }

        public string? Message { get; init; }
    }
}
