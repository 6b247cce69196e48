using System.Text.Json;
using System.Text.Json.Nodes;
using YamlDotNet.RepresentationModel;

namespace FieldOps.Connectors.BambooHR.Tests.Spec;

/// <summary>
/// Checks a JSON value against an OpenAPI schema: required properties, the JSON types of <c>type</c> (including
/// 3.1's type lists), array items, and — stricter than the spec asks — properties the schema does not declare.
/// </summary>
internal static class OpenApiSchemaCheck
{
    public static IReadOnlyList<string> Check(JsonNode? value, YamlMappingNode schema, string at = "$")
    {
        schema = BambooHRSpec.Resolve(schema);
        var errors = new List<string>();
        var types = Types(schema);
        if (types.Count > 0 && !types.Any(t => Matches(value, t)))
            errors.Add($"{at}: expected {string.Join("|", types)}, found {Kind(value)}");
        if (value is JsonArray array && Child(schema, "items") is { } items)
        {
            for (var i = 0; i < array.Count; i++)
                errors.AddRange(Check(array[i], items, $"{at}[{i}]"));
        }
        if (value is JsonObject json)
        {
            if (schema.Children.TryGetValue(new YamlScalarNode("required"), out var required))
                errors.AddRange(((YamlSequenceNode)required).Select(r => ((YamlScalarNode)r).Value!)
                    .Where(name => json[name] is null).Select(name => $"{at}: required property '{name}' is missing"));
            var properties = Child(schema, "properties");
            foreach (var (name, child) in json)
            {
                if (properties?.Children.TryGetValue(new YamlScalarNode(name), out var propertySchema) == true)
                    errors.AddRange(Check(child, (YamlMappingNode)propertySchema, $"{at}.{name}"));
                else if (properties is not null)
                    errors.Add($"{at}: property '{name}' is not in the schema");
            }
        }
        return errors;
    }

    private static YamlMappingNode? Child(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var child) ? child as YamlMappingNode : null;

    private static List<string> Types(YamlMappingNode schema) =>
        !schema.Children.TryGetValue(new YamlScalarNode("type"), out var type) ? []
        : type is YamlSequenceNode list ? list.Select(t => ((YamlScalarNode)t).Value!).ToList()
        : [((YamlScalarNode)type).Value!];

    private static bool Matches(JsonNode? value, string type) => (type, Kind(value)) switch
    {
        ("integer", "number") => value!.AsValue().TryGetValue<long>(out _) || decimal.IsInteger(value.GetValue<decimal>()),
        var (expected, actual) => expected == actual,
    };

    private static string Kind(JsonNode? value) => value switch
    {
        null => "null",
        JsonObject => "object",
        JsonArray => "array",
        _ => value.GetValueKind() switch
        {
            JsonValueKind.String => "string",
            JsonValueKind.Number => "number",
            JsonValueKind.True or JsonValueKind.False => "boolean",
            _ => "null",
        },
    };
}
