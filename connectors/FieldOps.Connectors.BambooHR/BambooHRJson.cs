using System.Text.Json;
using System.Text.Json.Serialization;
using Refit;

namespace FieldOps.Connectors.BambooHR;

/// <summary>BambooHR speaks camelCase JSON (<c>timeTrackingId</c>, <c>hoursWorked</c>).</summary>
internal static class BambooHRJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static RefitSettings RefitSettings() => new(new SystemTextJsonContentSerializer(Options));
}
