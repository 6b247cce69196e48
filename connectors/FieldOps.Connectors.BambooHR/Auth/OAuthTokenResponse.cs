using System.Text.Json.Serialization;

namespace FieldOps.Connectors.BambooHR;

/// <summary>An OAuth 2.0 token response (RFC 6749 §5.1/§5.2).</summary>
internal sealed class OAuthTokenResponse
{
    [JsonPropertyName("access_token")] public string? AccessToken { get; set; }
    [JsonPropertyName("refresh_token")] public string? RefreshToken { get; set; }
    [JsonPropertyName("expires_in")] public long? ExpiresIn { get; set; }
    [JsonPropertyName("error")] public string? Error { get; set; }
    [JsonPropertyName("error_description")] public string? ErrorDescription { get; set; }
}
