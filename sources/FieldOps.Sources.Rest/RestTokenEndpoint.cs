using System.Net;
using System.Text.Json;
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
        using var content = new FormUrlEncodedContent(form);
        using var response = await clients.CreateClient(RestPollAdapter.ClientName).PostAsync(tokenUrl, content, cancellationToken).ConfigureAwait(false);
        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        using var document = JsonDocument.Parse(string.IsNullOrWhiteSpace(body) ? "{}" : body);
        var root = document.RootElement;
        if (!response.IsSuccessStatusCode)
        {
            var error = root.TryGetProperty("error", out var e) && e.ValueKind == JsonValueKind.String ? e.GetString() : null;
            if (error is "invalid_grant" or "invalid_client" || response.StatusCode == HttpStatusCode.Unauthorized)
                throw new ConnectionBrokenException(connection, error ?? $"token endpoint answered {(int)response.StatusCode}");
            throw new HttpRequestException($"token endpoint answered {(int)response.StatusCode} {error}", null, response.StatusCode);
        }
        var refresh = root.TryGetProperty("refresh_token", out var r) ? r.GetString() : null;
        TimeSpan? expiresIn = root.TryGetProperty("expires_in", out var x) && x.ValueKind == JsonValueKind.Number ? TimeSpan.FromSeconds(x.GetDouble()) : null;
        return new TokenGrant(root.GetProperty("access_token").GetString()!, refresh, expiresIn, new Dictionary<string, string>());
    }
}
