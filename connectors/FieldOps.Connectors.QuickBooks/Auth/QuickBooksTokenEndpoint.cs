using System.Net.Http.Headers;
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

    private Task<TokenGrant> PostAsync(Dictionary<string, string> form, CancellationToken cancellationToken)
    {
        var options = _options.Value;
        var basic = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{options.ClientId}:{options.ClientSecret}"));
        return OAuthTokenCall.PostAsync(_httpClients.CreateClient(HttpClientName), options.TokenUrl, form, QuickBooksOptions.ConnectionName,
            "QuickBooks token endpoint", ["x_refresh_token_expires_in"], cancellationToken, new AuthenticationHeaderValue("Basic", basic));
    }
}
