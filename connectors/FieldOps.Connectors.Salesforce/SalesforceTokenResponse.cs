using System.Text.Json.Serialization;

namespace FieldOps.Connectors.Salesforce;

/// <summary>The token endpoint's answer (success: token and instance; failure: OAuth error).</summary>
internal sealed record SalesforceTokenResponse
{
    [JsonPropertyName("access_token")]
    public string? AccessToken { get; init; }

    [JsonPropertyName("instance_url")]
    public string? InstanceUrl { get; init; }

    [JsonPropertyName("issued_at")]
    public string? IssuedAt { get; init; }

    [JsonPropertyName("error")]
    public string? Error { get; init; }

    [JsonPropertyName("error_description")]
    public string? ErrorDescription { get; init; }
}
