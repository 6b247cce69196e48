using System.Net;
using System.Text.Json;
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
        using var content = new FormUrlEncodedContent(form);
        using var response = await clients.CreateClient(JobberGraphQLClient.ClientName).PostAsync(tokenUrl, content, cancellationToken).ConfigureAwait(false);
        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        using var document = JsonDocument.Parse(string.IsNullOrWhiteSpace(body) ? "{}" : body);
        var root = document.RootElement;
        if (!response.IsSuccessStatusCode)
        {
            var error = root.TryGetProperty("error", out var e) && e.ValueKind == JsonValueKind.String ? e.GetString() : null;
            if (error is "invalid_grant" or "invalid_client" || response.StatusCode == HttpStatusCode.Unauthorized)
                throw new ConnectionBrokenException(connection, error ?? $"Jobber's token endpoint answered {(int)response.StatusCode}");
            throw new HttpRequestException($"Jobber's token endpoint answered {(int)response.StatusCode} {error}", null, response.StatusCode);
        }
        var access = root.GetProperty("access_token").GetString()!;
        var refresh = root.TryGetProperty("refresh_token", out var r) ? r.GetString() : null;
        TimeSpan? expiresIn = root.TryGetProperty("expires_in", out var x) && x.ValueKind == JsonValueKind.Number ? TimeSpan.FromSeconds(x.GetDouble()) : null;
        return new TokenGrant(access, refresh, expiresIn, new Dictionary<string, string>());
    }
}
