using System.Text.Json;

namespace FieldOps.Connectors.HubSpot;

/// <summary>
/// HubSpot's error envelope <c>{status, message, correlationId, category, errors[], context, policyName}</c>; every
/// field is optional (target-apis.md §2.6). Also the shape of each error in a 207 batch answer.
/// </summary>
public sealed record HubSpotError
{
    public string? Message { get; init; }

    public string? Category { get; init; }

    public string? CorrelationId { get; init; }

    public string? PolicyName { get; init; }

    public string? ErrorType { get; init; }

    public string? ObjectWriteTraceId { get; init; }

    public IReadOnlyList<HubSpotErrorDetail>? Errors { get; init; }

    public Dictionary<string, JsonElement>? Context { get; init; }

    /// <summary>Every string in <see cref="Context"/> (ids, property names), for tying errors to inputs.</summary>
    public IEnumerable<string> ContextValues() => Values(Context);

    internal static IEnumerable<string> Values(Dictionary<string, JsonElement>? context) =>
        context?.Values.SelectMany(v => v.ValueKind == JsonValueKind.Array ? v.EnumerateArray() : Enumerable.Repeat(v, 1))
            .Where(v => v.ValueKind == JsonValueKind.String).Select(v => v.GetString()!) ?? [];
}

/// <summary>One detail of a HubSpot error, e.g. <c>{message, code: PROPERTY_DOESNT_EXIST, context: {propertyName: [...]}}</c>.</summary>
public sealed record HubSpotErrorDetail
{
    public string? Message { get; init; }

    public string? Code { get; init; }

    public Dictionary<string, JsonElement>? Context { get; init; }
}
