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
        Check(Resolve(file, ""), instance, new Location(), errors);
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

    // The walk keeps the path as a stack of steps and spells it out only for an error: issue 15, building every
    // property's pointer as a string (and a closure per type check) was a third of the check's allocations.
    private static void Check(CanonicalSchemaNode schema, JsonNode? instance, Location path, List<(string, string)> errors)
    {
        if (schema.Ref is { } reference)
            Check(reference.Value, instance, path, errors);
        var kind = Kind(instance);
        if (schema.Types is { } types && !AllowsKind(types, kind))
        {
            errors.Add((path.ToString(), $"must be {string.Join(" or ", types)}, was {kind}"));
            return;
        }
        if (schema.Enum is { } allowed && !IsOneOf(allowed, instance))
            errors.Add((path.ToString(), $"must be one of {string.Join(", ", allowed.Select(a => a?.ToJsonString() ?? "null"))}, was {instance?.ToJsonString() ?? "null"}"));
        if (schema.AnyOf is { } anyOf && !PassesAny(anyOf, instance))
            errors.Add((path.ToString(), $"matches none of the allowed shapes (was {kind})"));
        switch (instance)
        {
            case JsonObject obj:
                CheckObject(schema, obj, path, errors);
                break;
            case JsonArray array when schema.Items is { } items:
                for (var i = 0; i < array.Count; i++)
                {
                    path.Push(null, i);
                    Check(items, array[i], path, errors);
                    path.Pop();
                }
                break;
            case JsonValue value when kind == "string":
                var text = value.GetValue<string>();
                if (schema.MinLength is { } min && text.Length < min)
                    errors.Add((path.ToString(), $"must have at least {min} character(s)"));
                if (schema.Pattern is { } pattern && !pattern.IsMatch(text))
                    errors.Add((path.ToString(), $"'{text}' does not match {pattern}"));
                break;
            case JsonValue value when kind is "number" or "integer" && schema.Minimum is { } minimum && value.GetValue<decimal>() < minimum:
                errors.Add((path.ToString(), $"must be at least {minimum}"));
                break;
        }
    }

    private static void CheckObject(CanonicalSchemaNode schema, JsonObject obj, Location path, List<(string, string)> errors)
    {
        foreach (var name in schema.Required)
        {
            if (!obj.ContainsKey(name))
                errors.Add((path.ToString(), $"required property '{name}' is missing"));
        }
        for (var i = 0; i < obj.Count; i++) // by index: a foreach would box the object's enumerator
        {
            var (name, value) = obj.GetAt(i);
            path.Push(name, 0);
            if (schema.Properties?.TryGetValue(name, out var property) == true)
                Check(property, value, path, errors);
            else if (schema.AdditionalProperties is { } additional)
                Check(additional, value, path, errors);
            else if (!schema.AllowsAdditional)
                errors.Add((path.ToString(), $"unknown property '{name}'"));
            path.Pop();
        }
    }

    private static bool AllowsKind(string[] types, string kind)
    {
        foreach (var type in types)
        {
            if (type == kind || (type == "number" && kind == "integer"))
                return true;
        }
        return false;
    }

    private static bool IsOneOf(JsonNode?[] allowed, JsonNode? instance)
    {
        foreach (var value in allowed)
        {
            if (JsonNode.DeepEquals(value, instance))
                return true;
        }
        return false;
    }

    private static bool PassesAny(CanonicalSchemaNode[] anyOf, JsonNode? instance)
    {
        foreach (var schema in anyOf)
        {
            var errors = new List<(string, string)>();
            Check(schema, instance, new Location(), errors);
            if (errors.Count == 0)
                return true;
        }
        return false;
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

    /// <summary>Where the walk is: property names and array indexes from the root, spelt as a JSON pointer on demand.</summary>
    private sealed class Location
    {
        private readonly List<(string? Name, int Index)> _steps = [];

        public void Push(string? name, int index) => _steps.Add((name, index));

        public void Pop() => _steps.RemoveAt(_steps.Count - 1);

        public override string ToString() =>
            string.Concat(_steps.Select(s => "/" + (s.Name ?? s.Index.ToString(CultureInfo.InvariantCulture))));
    }
}
