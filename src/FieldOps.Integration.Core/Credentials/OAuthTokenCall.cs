using System.Net;
using System.Text.Json;

namespace FieldOps.Integration.Core.Credentials;

/// <summary>
/// One OAuth 2.0 token request (RFC 6749 §4.4/§6: a form POST) and its answer read the one way every form-based token
/// endpoint answers: <c>access_token</c>, optional <c>refresh_token</c> and <c>expires_in</c>; an <c>invalid_grant</c>,
/// <c>invalid_client</c> or 401 means the connection must be re-authorised (<see cref="ConnectionBrokenException"/>);
/// any other failure is a passing fault (<see cref="HttpRequestException"/>) retried by the caller.
/// </summary>
public static class OAuthTokenCall
{
    /// <summary>Posts <paramref name="form"/> to <paramref name="tokenUrl"/> and reads the grant.</summary>
    /// <param name="client">The source's or connector's own named client.</param>
    /// <param name="tokenUrl">The token endpoint.</param>
    /// <param name="form">The grant's form fields.</param>
    /// <param name="connection">The connection named in a broken-connection error.</param>
    /// <param name="endpointName">How errors name the endpoint, e.g. "Jobber's token endpoint".</param>
    /// <param name="keep">Further string members of the answer kept in <see cref="TokenGrant.Properties"/> (e.g. <c>instance_url</c>).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public static async Task<TokenGrant> PostAsync(HttpClient client, Uri tokenUrl, IEnumerable<KeyValuePair<string, string>> form,
        string connection, string endpointName, IReadOnlyList<string>? keep, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        using var content = new FormUrlEncodedContent(form);
        using var response = await client.PostAsync(tokenUrl, content, cancellationToken).ConfigureAwait(false);
        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        using var document = JsonDocument.Parse(string.IsNullOrWhiteSpace(body) ? "{}" : body);
        var root = document.RootElement;
        if (!response.IsSuccessStatusCode)
        {
            var error = root.TryGetProperty("error", out var e) && e.ValueKind == JsonValueKind.String ? e.GetString() : null;
            if (error is "invalid_grant" or "invalid_client" || response.StatusCode == HttpStatusCode.Unauthorized)
                throw new ConnectionBrokenException(connection, error ?? $"{endpointName} answered {(int)response.StatusCode}");
            throw new HttpRequestException($"{endpointName} answered {(int)response.StatusCode} {error}", null, response.StatusCode);
        }
        var refresh = root.TryGetProperty("refresh_token", out var r) ? r.GetString() : null;
        TimeSpan? expiresIn = root.TryGetProperty("expires_in", out var x) && x.ValueKind == JsonValueKind.Number ? TimeSpan.FromSeconds(x.GetDouble()) : null;
        var properties = new Dictionary<string, string>();
        foreach (var name in keep ?? [])
        {
            if (root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { } text)
                properties[name] = text;
        }
        return new TokenGrant(root.GetProperty("access_token").GetString()!, refresh, expiresIn, properties);
    }
}
