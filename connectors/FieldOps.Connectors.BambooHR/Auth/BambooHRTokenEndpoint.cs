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
        return await OAuthTokenCall.PostAsync(_httpClients.CreateClient(HttpClientName), options.EffectiveTokenUrl, form,
            BambooHROptions.ConnectionName, "BambooHR token endpoint", null, cancellationToken).ConfigureAwait(false);
    }
}
