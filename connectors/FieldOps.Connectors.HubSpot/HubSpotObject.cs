using System.Text.Json;

namespace FieldOps.Connectors.HubSpot;

/// <summary>A CRM object as HubSpot returns it (single calls, batch results, search results).</summary>
public sealed record HubSpotObject
{
    public string? Id { get; init; }

    public Dictionary<string, JsonElement>? Properties { get; init; }

    public string? ObjectWriteTraceId { get; init; }

    /// <summary>A property as text, or null.</summary>
    public string? Property(string name) =>
        Properties is not null && Properties.TryGetValue(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
