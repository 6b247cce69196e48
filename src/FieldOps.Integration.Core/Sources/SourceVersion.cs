using System.Globalization;
using System.Text.Json.Nodes;

namespace FieldOps.Integration.Core.Sources;

/// <summary>Reads source versions (ISO 8601 times with an offset, or unix milliseconds) as instants.</summary>
public static class SourceVersion
{
    /// <summary>The version in <paramref name="node"/>, or null when absent or unreadable.</summary>
    public static DateTimeOffset? Read(JsonNode? node)
    {
        if (node is not JsonValue value)
            return null;
        if (value.TryGetValue<string>(out var text))
        {
            return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed)
                ? parsed
                : null;
        }
        return value.TryGetValue<long>(out var ms) ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null;
    }
}
