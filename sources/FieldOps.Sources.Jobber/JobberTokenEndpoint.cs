using FieldOps.Integration.Core.Credentials;

namespace FieldOps.Sources.Jobber;

/// <summary>
/// Jobber's OAuth 2.0 token call (refresh-token grant). Jobber rotates refresh tokens: the new one in each answer
/// replaces the old, which the credentials store persists with the access token before handing either out.
/// <c>invalid_grant</c>/<c>invalid_client</c> (or 401) mean the app must be re-authorised.
/// </summary>
public sealed class JobberTokenEndpoint(string connection, Uri tokenUrl, string? clientId, string? clientSecret, string? seedRefreshToken, IHttpClientFactory clients)
    : ITokenEndpoint
{
    public string? SeedRefreshToken => seedRefreshToken;

    public async Task<TokenGrant> RequestTokenAsync(string? refreshToken, CancellationToken cancellationToken)
    {
        if (refreshToken is null)
            throw new ConnectionBrokenException(connection, "no refresh token: authorise the Jobber app and set Sources__{name}__RefreshToken");
        var form = new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token",
            ["refresh_token"] = refreshToken,
            ["client_id"] = clientId ?? "",
            ["client_secret"] = clientSecret ?? "",
        };
        return await OAuthTokenCall.PostAsync(clients.CreateClient(JobberGraphQLClient.ClientName), tokenUrl, form, connection, "Jobber's token endpoint", null, cancellationToken)
            .ConfigureAwait(false);
    }
}
