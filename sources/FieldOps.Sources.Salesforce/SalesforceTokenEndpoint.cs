using FieldOps.Integration.Core.Credentials;

namespace FieldOps.Sources.Salesforce;

/// <summary>
/// Salesforce's OAuth 2.0 client-credentials flow (an External Client App with a run-as user — the integration
/// user whose id marks our own writes): no refresh token, a new access token whenever one is needed.
/// </summary>
internal sealed class SalesforceTokenEndpoint(string connection, Uri tokenUrl, string? clientId, string? clientSecret, IHttpClientFactory clients) : ITokenEndpoint
{
    public string? SeedRefreshToken => null;

    public async Task<TokenGrant> RequestTokenAsync(string? refreshToken, CancellationToken cancellationToken)
    {
        var form = new Dictionary<string, string> { ["grant_type"] = "client_credentials", ["client_id"] = clientId ?? "", ["client_secret"] = clientSecret ?? "" };
        return await OAuthTokenCall.PostAsync(clients.CreateClient(SalesforcePollAdapter.ClientName), tokenUrl, form, connection, "Salesforce's token endpoint", ["instance_url"], cancellationToken)
            .ConfigureAwait(false);
    }
}
