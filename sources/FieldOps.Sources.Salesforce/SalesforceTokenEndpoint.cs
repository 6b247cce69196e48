using System.Net;
using System.Text.Json;
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
        using var content = new FormUrlEncodedContent(form);
        using var response = await clients.CreateClient(SalesforcePollAdapter.ClientName).PostAsync(tokenUrl, content, cancellationToken).ConfigureAwait(false);
        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        using var document = JsonDocument.Parse(string.IsNullOrWhiteSpace(body) ? "{}" : body);
        var root = document.RootElement;
        if (!response.IsSuccessStatusCode)
        {
            var error = root.TryGetProperty("error", out var e) && e.ValueKind == JsonValueKind.String ? e.GetString() : null;
            if (error is "invalid_grant" or "invalid_client" || response.StatusCode == HttpStatusCode.Unauthorized)
                throw new ConnectionBrokenException(connection, error ?? $"Salesforce's token endpoint answered {(int)response.StatusCode}");
            throw new HttpRequestException($"Salesforce's token endpoint answered {(int)response.StatusCode} {error}", null, response.StatusCode);
        }
        var properties = new Dictionary<string, string>();
        if (root.TryGetProperty("instance_url", out var instance) && instance.GetString() is { } url)
            properties["instance_url"] = url;
        return new TokenGrant(root.GetProperty("access_token").GetString()!, null, null, properties);
    }
}
