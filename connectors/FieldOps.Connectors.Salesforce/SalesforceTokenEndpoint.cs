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
        return await OAuthTokenCall.PostAsync(httpClients.CreateClient(HttpClientName), new Uri(o.LoginUrl, "/services/oauth2/token"), form,
            SalesforceConnector.ConnectionName, "Salesforce token endpoint", [InstanceUrlProperty], cancellationToken).ConfigureAwait(false);
    }
}
