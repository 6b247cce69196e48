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
        var form = new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token",
            ["client_id"] = o.ClientId ?? "",
            ["client_secret"] = o.ClientSecret ?? "",
            ["refresh_token"] = refreshToken,
        };
        return await OAuthTokenCall.PostAsync(httpClients.CreateClient(HttpClientName), o.TokenUrl, form, HubSpotConnector.ConnectionName,
            "HubSpot token endpoint", ["hub_id"], cancellationToken).ConfigureAwait(false);
    }
}
