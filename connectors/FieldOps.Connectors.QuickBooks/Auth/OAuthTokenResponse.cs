using System.Text.Json.Serialization;

namespace FieldOps.Connectors.QuickBooks;

/// <summary>An OAuth 2.0 token response (RFC 6749 §5.1/§5.2) with Intuit's refresh-token lifetime.</summary>
internal sealed class OAuthTokenResponse
{
    [JsonPropertyName("access_token")] public string? AccessToken { get; set; }
    [JsonPropertyName("refresh_token")] public string? RefreshToken { get; set; }
    [JsonPropertyName("expires_in")] public long? ExpiresIn { get; set; }
    [JsonPropertyName("x_refresh_token_expires_in")] public long? RefreshTokenExpiresIn { get; set; }
    [JsonPropertyName("error")] public string? Error { get; set; }
    [JsonPropertyName("error_description")] public string? ErrorDescription { get; set; }
}
