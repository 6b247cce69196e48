using System.Text.Json.Nodes;
using Xunit;

namespace FieldOps.Integration.Testing;

/// <summary>Compares JSON by value: numbers by their decimal value (149.970 = 149.97), objects regardless of property order.</summary>
public static class JsonAssert
{
    public static void Equal(string expected, JsonNode actual) =>
        Assert.True(JsonNode.DeepEquals(Normalise(JsonNode.Parse(expected)), Normalise(actual)),
            $"expected {Normalise(JsonNode.Parse(expected))?.ToJsonString()}\nactual   {Normalise(actual)?.ToJsonString()}");

    private static JsonNode? Normalise(JsonNode? node) => node switch
    {
        JsonObject o => new JsonObject(o.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => KeyValuePair.Create(p.Key, Normalise(p.Value)))),
        JsonArray a => new JsonArray(a.Select(Normalise).ToArray()),
        JsonValue v when v.GetValueKind() == System.Text.Json.JsonValueKind.Number => JsonValue.Create(v.GetValue<decimal>() / 1.000000000000000000000000000000000m),
        _ => node?.DeepClone(),
    };
}
