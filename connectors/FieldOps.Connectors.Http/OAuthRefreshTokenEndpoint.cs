using System.Globalization;
using System.Net;
using System.Text.Json;
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
        using var content = new FormUrlEncodedContent(form);
        using var response = await clients.CreateClient(HttpConnector.ClientName).PostAsync(options.TokenUrl, content, cancellationToken).ConfigureAwait(false);
        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        using var document = JsonDocument.Parse(string.IsNullOrWhiteSpace(body) ? "{}" : body);
        var root = document.RootElement;
        if (!response.IsSuccessStatusCode)
        {
            var error = root.TryGetProperty("error", out var e) ? e.GetString() : null;
            if (error is "invalid_grant" or "invalid_client" || response.StatusCode == HttpStatusCode.Unauthorized)
                throw new ConnectionBrokenException(connection, error ?? $"token endpoint answered {(int)response.StatusCode}");
            throw new HttpRequestException($"token endpoint answered {(int)response.StatusCode} {error}", null, response.StatusCode);
        }
        var access = root.GetProperty("access_token").GetString()!;
        var refresh = root.TryGetProperty("refresh_token", out var r) ? r.GetString() : null;
        TimeSpan? expiresIn = root.TryGetProperty("expires_in", out var x) && x.ValueKind == JsonValueKind.Number
            ? TimeSpan.FromSeconds(x.GetDouble())
            : null;
        var properties = root.EnumerateObject()
            .Where(p => p.Name is not ("access_token" or "refresh_token" or "expires_in") && p.Value.ValueKind is JsonValueKind.String or JsonValueKind.Number)
            .ToDictionary(p => p.Name, p => p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString()! : p.Value.GetRawText().ToString(CultureInfo.InvariantCulture));
        return new TokenGrant(access, refresh, expiresIn, properties);
    }
}
