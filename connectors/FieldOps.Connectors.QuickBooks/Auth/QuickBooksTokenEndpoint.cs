using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using FieldOps.Integration.Core.Credentials;
using Microsoft.Extensions.Options;

namespace FieldOps.Connectors.QuickBooks;

/// <summary>
/// Intuit's token call (fact sheet §3.2): form-encoded grant with HTTP Basic client authentication. The refresh token
/// may rotate on every refresh; the new one is returned in <see cref="TokenGrant.RefreshToken"/> for the store to
/// persist. <c>invalid_grant</c> / <c>invalid_client</c> mean the connection is broken until an admin reconnects it.
/// </summary>
public sealed class QuickBooksTokenEndpoint : ITokenEndpoint
{
    /// <summary>The named HttpClient the token calls use.</summary>
    public const string HttpClientName = "quickbooks-token";

    private readonly IHttpClientFactory _httpClients;
    private readonly IOptions<QuickBooksOptions> _options;

    public QuickBooksTokenEndpoint(IHttpClientFactory httpClients, IOptions<QuickBooksOptions> options)
    {
        _httpClients = httpClients;
        _options = options;
    }

    public string? SeedRefreshToken => string.IsNullOrWhiteSpace(_options.Value.RefreshToken) ? null : _options.Value.RefreshToken;

    public Task<TokenGrant> RequestTokenAsync(string? refreshToken, CancellationToken cancellationToken) =>
        refreshToken is null
            ? throw new ConnectionBrokenException(QuickBooksOptions.ConnectionName,
                "no refresh token is stored: run 'fieldops connectors connect quickbooks' or set Connectors__QuickBooks__RefreshToken")
            : PostAsync(new() { ["grant_type"] = "refresh_token", ["refresh_token"] = refreshToken }, cancellationToken);

    /// <summary>Exchanges an authorization code from the consent redirect for the first grant (<c>fieldops connectors connect quickbooks</c>).</summary>
    public Task<TokenGrant> ExchangeCodeAsync(string code, Uri redirectUri, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(redirectUri);
        return PostAsync(new() { ["grant_type"] = "authorization_code", ["code"] = code, ["redirect_uri"] = redirectUri.ToString() }, cancellationToken);
    }

    private async Task<TokenGrant> PostAsync(Dictionary<string, string> form, CancellationToken cancellationToken)
    {
        var options = _options.Value;
        using var request = new HttpRequestMessage(HttpMethod.Post, options.TokenUrl) { Content = new FormUrlEncodedContent(form) };
        var basic = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{options.ClientId}:{options.ClientSecret}"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", basic);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));

        using var response = await _httpClients.CreateClient(HttpClientName).SendAsync(request, cancellationToken).ConfigureAwait(false);
        var body = await ReadBodyAsync(response, cancellationToken).ConfigureAwait(false);
        if (response.IsSuccessStatusCode && !string.IsNullOrEmpty(body?.AccessToken))
        {
            var properties = new Dictionary<string, string>();
            if (body.RefreshTokenExpiresIn is { } refreshLifetime)
                properties["x_refresh_token_expires_in"] = refreshLifetime.ToString(System.Globalization.CultureInfo.InvariantCulture);
            var lifetime = body.ExpiresIn is { } seconds ? TimeSpan.FromSeconds(seconds) : (TimeSpan?)null;
            return new TokenGrant(body.AccessToken, body.RefreshToken, lifetime, properties);
        }
        if (body?.Error is "invalid_grant" or "invalid_client")
            throw new ConnectionBrokenException(QuickBooksOptions.ConnectionName, $"{body.Error}: {body.ErrorDescription ?? "the grant was refused"}");
        // Anything else (5xx, a proxy page) is passing: the store lets it escape and the dispatcher retries later.
        throw new HttpRequestException($"QuickBooks token endpoint answered HTTP {(int)response.StatusCode} {body?.Error}", null, response.StatusCode);
    }

    private static async Task<OAuthTokenResponse?> ReadBodyAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            return await response.Content.ReadFromJsonAsync<OAuthTokenResponse>(cancellationToken).ConfigureAwait(false);
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }
}
