using System.Net.Http.Headers;
using System.Net.Http.Json;
using FieldOps.Integration.Core.Credentials;
using Microsoft.Extensions.Options;

namespace FieldOps.Connectors.BambooHR;

/// <summary>
/// BambooHR's OAuth token call (fact sheet §4.2): <c>POST {company}/token.php?request=token</c>, form-encoded client
/// credentials and refresh token. The refresh token may rotate; the new one goes back to the store to persist.
/// </summary>
public sealed class BambooHRTokenEndpoint : ITokenEndpoint
{
    /// <summary>The named HttpClient the token calls use.</summary>
    public const string HttpClientName = "bamboohr-token";

    private readonly IHttpClientFactory _httpClients;
    private readonly IOptions<BambooHROptions> _options;

    public BambooHRTokenEndpoint(IHttpClientFactory httpClients, IOptions<BambooHROptions> options)
    {
        _httpClients = httpClients;
        _options = options;
    }

    public string? SeedRefreshToken => string.IsNullOrWhiteSpace(_options.Value.RefreshToken) ? null : _options.Value.RefreshToken;

    public async Task<TokenGrant> RequestTokenAsync(string? refreshToken, CancellationToken cancellationToken)
    {
        if (refreshToken is null)
            throw new ConnectionBrokenException(BambooHROptions.ConnectionName, "no refresh token is stored: set Connectors__BambooHR__RefreshToken");
        var options = _options.Value;
        var form = new Dictionary<string, string>
        {
            ["client_id"] = options.ClientId ?? "",
            ["client_secret"] = options.ClientSecret ?? "",
            ["grant_type"] = "refresh_token",
            ["refresh_token"] = refreshToken,
        };
        using var request = new HttpRequestMessage(HttpMethod.Post, options.EffectiveTokenUrl) { Content = new FormUrlEncodedContent(form) };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        using var response = await _httpClients.CreateClient(HttpClientName).SendAsync(request, cancellationToken).ConfigureAwait(false);
        OAuthTokenResponse? body;
        try
        {
            body = await response.Content.ReadFromJsonAsync<OAuthTokenResponse>(cancellationToken).ConfigureAwait(false);
        }
        catch (System.Text.Json.JsonException)
        {
            body = null;
        }
        if (response.IsSuccessStatusCode && !string.IsNullOrEmpty(body?.AccessToken))
        {
            var lifetime = body.ExpiresIn is { } seconds ? TimeSpan.FromSeconds(seconds) : (TimeSpan?)null;
            return new TokenGrant(body.AccessToken, body.RefreshToken, lifetime, new Dictionary<string, string>());
        }
        if (body?.Error is "invalid_grant" or "invalid_client")
            throw new ConnectionBrokenException(BambooHROptions.ConnectionName, $"{body.Error}: {body.ErrorDescription ?? "the grant was refused"}");
        throw new HttpRequestException($"BambooHR token endpoint answered HTTP {(int)response.StatusCode} {body?.Error}", null, response.StatusCode);
    }
}
