using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using FieldOps.Integration.Core.Text;

namespace FieldOps.Integration.Core.Credentials;

/// <summary>
/// One OAuth 2.0 token request (RFC 6749 §4.4/§6: a form POST) and its answer read the one way every form-based token
/// endpoint answers: <c>access_token</c>, optional <c>refresh_token</c> and <c>expires_in</c>. Every source and
/// connector token endpoint goes through here; what differs (the form, client authentication, members to keep) is
/// the caller's.
/// </summary>
/// <remarks>
/// A refusal of the grant or the client — an OAuth error code of §5.2 (<c>invalid_grant</c>, <c>invalid_client</c>,
/// …), a 400 naming a vendor status instead of an OAuth error (HubSpot's <c>BAD_REFRESH_TOKEN</c>), or a 401 — means the connection must be
/// re-authorised (<see cref="ConnectionBrokenException"/>). Any other failure, an answer that is not JSON (a proxy's
/// page) or a 2xx without an access token is a passing fault (<see cref="HttpRequestException"/>) retried by the caller.
/// </remarks>
public static class OAuthTokenCall
{
    /// <summary>Keep every string or number member of the answer besides the token fields.</summary>
    public const string KeepAll = "*";

    private static readonly HashSet<string> RefusalCodes = new(StringComparer.Ordinal)
    {
        "invalid_request", "invalid_client", "invalid_grant", "unauthorized_client", "unsupported_grant_type", "invalid_scope",
    };

    private static readonly HashSet<string> TokenFields = new(StringComparer.Ordinal) { "access_token", "refresh_token", "expires_in" };

    /// <summary>Posts <paramref name="form"/> to <paramref name="tokenUrl"/> and reads the grant.</summary>
    /// <param name="client">The source's or connector's own named client.</param>
    /// <param name="tokenUrl">The token endpoint.</param>
    /// <param name="form">The grant's form fields.</param>
    /// <param name="connection">The connection named in a broken-connection error.</param>
    /// <param name="endpointName">How errors name the endpoint, e.g. "Jobber's token endpoint".</param>
    /// <param name="keep">
    /// Further members of the answer kept in <see cref="TokenGrant.Properties"/> (e.g. <c>instance_url</c>; numbers as
    /// written), or <see cref="KeepAll"/>.
    /// </param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <param name="clientAuthentication">HTTP client authentication (e.g. Intuit's Basic), or null when the form carries it.</param>
    public static async Task<TokenGrant> PostAsync(HttpClient client, Uri tokenUrl, IEnumerable<KeyValuePair<string, string>> form,
        string connection, string endpointName, IReadOnlyList<string>? keep, CancellationToken cancellationToken,
        AuthenticationHeaderValue? clientAuthentication = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        using var request = new HttpRequestMessage(HttpMethod.Post, tokenUrl) { Content = new FormUrlEncodedContent(form) };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        request.Headers.Authorization = clientAuthentication;
        using var response = await client.SendAsync(request, cancellationToken).ConfigureAwait(false);
        // A refusal's description can quote a text cut through an emoji, as half a surrogate pair (\ud83d), which
        // System.Text.Json will not read: read as U+FFFD, the refusal is known as one and recorded in the vendor's words, the half as U+FFFD.
        var body = JsonSurrogates.Mend(await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false));
        using var document = ParseObject(body);
        var root = document.RootElement;
        var status = (int)response.StatusCode;
        if (response.IsSuccessStatusCode && Text(root, "access_token") is { Length: > 0 } accessToken)
            return new TokenGrant(accessToken, Text(root, "refresh_token"), Seconds(root, "expires_in"), Kept(root, keep));

        var oauthError = Text(root, "error");
        var vendorStatus = oauthError is null && status == 400 ? Text(root, "status") : null;
        var error = oauthError ?? vendorStatus;
        var description = Text(root, "error_description") ?? Text(root, "message");
        if ((oauthError is not null && RefusalCodes.Contains(oauthError)) || vendorStatus is not null || response.StatusCode == HttpStatusCode.Unauthorized)
        {
            var reason = error is null ? $"{endpointName} answered HTTP {status}" : description is { Length: > 0 } ? $"{error}: {description}" : error;
            throw new ConnectionBrokenException(connection, reason);
        }
        var what = response.IsSuccessStatusCode ? "without an access_token" : error ?? "";
        throw new HttpRequestException($"{endpointName} answered HTTP {status} {what}".TrimEnd(), null, response.StatusCode);
    }

    private static JsonDocument ParseObject(string body)
    {
        if (body.AsSpan().TrimStart().StartsWith("{", StringComparison.Ordinal))
        {
            try
            {
                return JsonDocument.Parse(body);
            }
            catch (JsonException)
            {
                // A truncated or broken answer reads as an empty one: a passing fault.
            }
        }
        return JsonDocument.Parse("{}");
    }

    private static string? Text(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static TimeSpan? Seconds(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? TimeSpan.FromSeconds(value.GetDouble())
        : Text(root, name) is { } text && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) ? TimeSpan.FromSeconds(seconds)
        : null;

    private static Dictionary<string, string> Kept(JsonElement root, IReadOnlyList<string>? keep)
    {
        var properties = new Dictionary<string, string>(StringComparer.Ordinal);
        if (keep is null || keep.Count == 0)
            return properties;
        var all = keep.Contains(KeepAll);
        foreach (var member in root.EnumerateObject())
        {
            if (TokenFields.Contains(member.Name) || (!all && !keep.Contains(member.Name)))
                continue;
            if (member.Value.ValueKind == JsonValueKind.String)
                properties[member.Name] = member.Value.GetString()!;
            else if (member.Value.ValueKind == JsonValueKind.Number)
                properties[member.Name] = member.Value.GetRawText();
        }
        return properties;
    }
}
