using FieldOps.Integration.Core.Credentials;

namespace FieldOps.Connectors.Http;

/// <summary>
/// A standard OAuth 2.0 token endpoint (RFC 6749): the refresh-token grant when a refresh token is known, else client
/// credentials. <c>invalid_grant</c> and <c>invalid_client</c> mean the connection is broken.
/// </summary>
public sealed class OAuthRefreshTokenEndpoint(string connection, HttpConnectionOptions options, IHttpClientFactory clients) : ITokenEndpoint
{
    public string? SeedRefreshToken => options.RefreshToken;

    public async Task<TokenGrant> RequestTokenAsync(string? refreshToken, CancellationToken cancellationToken)
    {
        var form = new Dictionary<string, string>();
        if (refreshToken is not null)
        {
            form["grant_type"] = "refresh_token";
            form["refresh_token"] = refreshToken;
        }
        else
        {
            form["grant_type"] = "client_credentials";
        }
        if (options.ClientId is not null)
            form["client_id"] = options.ClientId;
        if (options.ClientSecret is not null)
            form["client_secret"] = options.ClientSecret;
        if (options.Scope is not null)
            form["scope"] = options.Scope;
        return await OAuthTokenCall.PostAsync(clients.CreateClient(HttpConnector.ClientName),
            options.TokenUrl ?? throw new ConnectionBrokenException(connection, "no TokenUrl is configured"), form, connection,
            "token endpoint", [OAuthTokenCall.KeepAll], cancellationToken).ConfigureAwait(false);
    }
}
