using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace FieldOps.Integration.Core.Canonical;

/// <summary>
/// Checks normalised events against the canonical model's JSON Schemas (<c>mappings/schema/canonical/</c>) on the
/// router's hot path. It compiles the schema files once and supports exactly the keywords they use — an unknown
/// keyword fails at load, so a schema is never half-applied. (Mapping files, checked once per load, use a full
/// JSON Schema implementation.)
/// </summary>
internal sealed class CanonicalSchemaValidator
{
    private static readonly HashSet<string> Ignored = new(StringComparer.Ordinal) { "$schema", "$id", "title", "description", "format", "$defs" };

    private readonly IReadOnlyDictionary<string, JsonObject> _documents;
    private readonly Dictionary<string, CanonicalSchemaNode> _compiled = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    /// <param name="documents">Each schema file's JSON by its name (e.g. <c>job.schema.json</c>).</param>
    public CanonicalSchemaValidator(IReadOnlyDictionary<string, JsonObject> documents) => _documents = documents;

    /// <summary>The problems of <paramref name="instance"/> against <paramref name="file"/>, each as (JSON pointer, message).</summary>
    public List<(string Pointer, string Message)> Validate(string file, JsonNode? instance)
    {
        var errors = new List<(string, string)>();
        Check(Resolve(file, ""), instance, "", errors);
        return errors;
    }

    private CanonicalSchemaNode Resolve(string file, string pointer)
    {
        var key = file + "#" + pointer;
        lock (_lock)
        {
            if (_compiled.TryGetValue(key, out var node))
                return node;
            JsonNode? target = _documents.TryGetValue(file, out var document) ? document : throw new InvalidOperationException($"no canonical schema {file}");
            foreach (var part in pointer.Split('/', StringSplitOptions.RemoveEmptyEntries))
                target = target?[part];
            node = Compile(file, target as JsonObject ?? throw new InvalidOperationException($"no schema at {key}"));
            _compiled[key] = node;
            return node;
        }
    }

    private CanonicalSchemaNode Compile(string file, JsonObject schema)
    {
        var node = new CanonicalSchemaNode();
        foreach (var (keyword, value) in schema)
        {
            switch (keyword)
            {
                case "type":
                    node.Types = value is JsonArray types ? [.. types.Select(t => (string)t!)] : [(string)value!];
                    break;
                case "required":
                    node.Required = [.. value!.AsArray().Select(r => (string)r!)];
                    break;
                case "properties":
                    node.Properties = value!.AsObject().ToDictionary(p => p.Key, p => Compile(file, p.Value!.AsObject()), StringComparer.Ordinal);
                    break;
                case "additionalProperties" when value is JsonValue flag:
                    node.AllowsAdditional = (bool)flag;
                    break;
                case "additionalProperties":
                    node.AdditionalProperties = Compile(file, value!.AsObject());
                    break;
                case "items":
                    node.Items = Compile(file, value!.AsObject());
                    break;
                case "enum":
                    node.Enum = [.. value!.AsArray().Select(e => e?.DeepClone())];
                    break;
                case "anyOf":
                    node.AnyOf = [.. value!.AsArray().Select(s => Compile(file, s!.AsObject()))];
                    break;
                case "$ref":
                    var reference = (string)value!;
                    var hash = reference.IndexOf('#', StringComparison.Ordinal);
                    var target = hash == 0 ? file : hash < 0 ? reference : reference[..hash];
                    var pointer = hash < 0 ? "" : reference[(hash + 1)..];
                    node.Ref = new Lazy<CanonicalSchemaNode>(() => Resolve(target, pointer));
                    break;
                case "minLength":
                    node.MinLength = (int)value!;
                    break;
                case "pattern":
                    node.Pattern = new Regex((string)value!, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
                    break;
                case "minimum":
                    node.Minimum = (decimal)value!;
                    break;
                default:
                    if (!Ignored.Contains(keyword))
                        throw new NotSupportedException($"canonical schema {file} uses '{keyword}', which the canonical validator does not support");
                    break;
            }
        }
        return node;
    }

    private static void Check(CanonicalSchemaNode schema, JsonNode? instance, string path, List<(string, string)> errors)
    {
        if (schema.Ref is { } reference)
            Check(reference.Value, instance, path, errors);
        var kind = Kind(instance);
        if (schema.Types is { } types && !types.Any(t => t == kind || (t == "number" && kind == "integer")))
        {
            errors.Add((path, $"must be {string.Join(" or ", types)}, was {kind}"));
            return;
        }
        if (schema.Enum is { } allowed && !allowed.Any(a => JsonNode.DeepEquals(a, instance)))
            errors.Add((path, $"must be one of {string.Join(", ", allowed.Select(a => a?.ToJsonString() ?? "null"))}, was {instance?.ToJsonString() ?? "null"}"));
        if (schema.AnyOf is { } anyOf && !anyOf.Any(s => Passes(s, instance)))
            errors.Add((path, $"matches none of the allowed shapes (was {kind})"));
        switch (instance)
        {
            case JsonObject obj:
                CheckObject(schema, obj, path, errors);
                break;
            case JsonArray array when schema.Items is { } items:
                for (var i = 0; i < array.Count; i++)
                    Check(items, array[i], path + "/" + i.ToString(CultureInfo.InvariantCulture), errors);
                break;
            case JsonValue value when kind == "string":
                var text = value.GetValue<string>();
                if (schema.MinLength is { } min && text.Length < min)
                    errors.Add((path, $"must have at least {min} character(s)"));
                if (schema.Pattern is { } pattern && !pattern.IsMatch(text))
                    errors.Add((path, $"'{text}' does not match {pattern}"));
                break;
            case JsonValue value when kind is "number" or "integer" && schema.Minimum is { } minimum && value.GetValue<decimal>() < minimum:
                errors.Add((path, $"must be at least {minimum}"));
                break;
        }
    }

    private static void CheckObject(CanonicalSchemaNode schema, JsonObject obj, string path, List<(string, string)> errors)
    {
        foreach (var name in schema.Required)
        {
            if (!obj.ContainsKey(name))
                errors.Add((path, $"required property '{name}' is missing"));
        }
        foreach (var (name, value) in obj)
        {
            var child = path + "/" + name;
            if (schema.Properties?.TryGetValue(name, out var property) == true)
                Check(property, value, child, errors);
            else if (schema.AdditionalProperties is { } additional)
                Check(additional, value, child, errors);
            else if (!schema.AllowsAdditional)
                errors.Add((child, $"unknown property '{name}'"));
        }
    }

    private static bool Passes(CanonicalSchemaNode schema, JsonNode? instance)
    {
        var errors = new List<(string, string)>();
        Check(schema, instance, "", errors);
        return errors.Count == 0;
    }

    private static string Kind(JsonNode? node) => node switch
    {
        null => "null",
        JsonObject => "object",
        JsonArray => "array",
        JsonValue v => v.GetValueKind() switch
        {
            JsonValueKind.String => "string",
            JsonValueKind.True or JsonValueKind.False => "boolean",
            JsonValueKind.Number => v.GetValue<decimal>() % 1 == 0 ? "integer" : "number",
            _ => "null",
        },
        _ => "null",
    };
}
