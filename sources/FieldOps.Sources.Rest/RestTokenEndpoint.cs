using FieldOps.Integration.Core.Credentials;

namespace FieldOps.Sources.Rest;

/// <summary>An OAuth 2.0 token endpoint for a polled REST source: the refresh-token grant when one is known, else client credentials.</summary>
public sealed class RestTokenEndpoint(string connection, Uri tokenUrl, string? clientId, string? clientSecret, string? seedRefreshToken, IHttpClientFactory clients)
    : ITokenEndpoint
{
    public string? SeedRefreshToken => seedRefreshToken;

    public async Task<TokenGrant> RequestTokenAsync(string? refreshToken, CancellationToken cancellationToken)
    {
        var form = new Dictionary<string, string> { ["grant_type"] = refreshToken is null ? "client_credentials" : "refresh_token" };
        if (refreshToken is not null)
            form["refresh_token"] = refreshToken;
        if (clientId is not null)
            form["client_id"] = clientId;
        if (clientSecret is not null)
            form["client_secret"] = clientSecret;
        return await OAuthTokenCall.PostAsync(clients.CreateClient(RestPollAdapter.ClientName), tokenUrl, form, connection, "token endpoint", null, cancellationToken)
            .ConfigureAwait(false);
    }
}
