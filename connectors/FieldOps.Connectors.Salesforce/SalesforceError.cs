using System.Text.Json.Serialization;

namespace FieldOps.Connectors.Salesforce;

/// <summary>
/// One Salesforce error: <c>{message, errorCode, fields}</c> in REST error arrays, <c>{statusCode, message, fields}</c>
/// inside collection results — both keys are read.
/// </summary>
public sealed record SalesforceError
{
    public string? Message { get; init; }

    public string? ErrorCode { get; init; }

    public string? StatusCode { get; init; }

    public IReadOnlyList<string>? Fields { get; init; }

    /// <summary>The code, whichever key carried it.</summary>
    [JsonIgnore]
    public string Code => ErrorCode ?? StatusCode ?? "UNKNOWN";
}
