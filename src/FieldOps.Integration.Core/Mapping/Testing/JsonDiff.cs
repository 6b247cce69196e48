using System.Text.Json;
using System.Text.Json.Nodes;

namespace FieldOps.Integration.Core.Mapping.Testing;

/// <summary>Compares two JSON values and lists each difference by path (numbers compare by value: 59.97 = 59.970).</summary>
internal static class JsonDiff
{
    public static void Compare(JsonNode? expected, JsonNode? actual, string path, List<string> differences)
    {
        switch (expected, actual)
        {
            case (JsonObject e, JsonObject a):
                foreach (var (name, value) in e)
                {
                    if (!a.ContainsKey(name))
                        differences.Add($"{path}.{name}: missing (expected {Show(value)})");
                    else
                        Compare(value, a[name], $"{path}.{name}", differences);
                }
                foreach (var (name, value) in a)
                {
                    if (!e.ContainsKey(name))
                        differences.Add($"{path}.{name}: unexpected {Show(value)}");
                }
                break;
            case (JsonArray e, JsonArray a):
                for (var i = 0; i < Math.Max(e.Count, a.Count); i++)
                {
                    if (i >= a.Count)
                        differences.Add($"{path}[{i}]: missing (expected {Show(e[i])})");
                    else if (i >= e.Count)
                        differences.Add($"{path}[{i}]: unexpected {Show(a[i])}");
                    else
                        Compare(e[i], a[i], $"{path}[{i}]", differences);
                }
                break;
            default:
                if (!ValueEquals(expected, actual))
                    differences.Add($"{path}: expected {Show(expected)}, got {Show(actual)}");
                break;
        }
    }

    private static bool ValueEquals(JsonNode? expected, JsonNode? actual)
    {
        if (expected is JsonValue e && actual is JsonValue a
            && e.GetValueKind() == JsonValueKind.Number && a.GetValueKind() == JsonValueKind.Number)
            return e.GetValue<decimal>() == a.GetValue<decimal>();
        return Show(expected) == Show(actual);
    }

    public static string Show(JsonNode? node) => node is null ? "null" : node.ToJsonString();
}
