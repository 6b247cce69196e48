using System.Text.Json.Nodes;
using FieldOps.Integration.Core.Canonical;
using Json.Schema;

namespace FieldOps.Integration.Core.Mapping.Loading;

/// <summary>
/// The JSON Schemas that ship in <c>mappings/schema/</c> (embedded at build time): the mapping-file schema and one
/// schema per canonical entity plus the envelope.
/// </summary>
internal static class SchemaCatalog
{
    private const string Base = "https://fieldops.local/schema/";

    private static readonly Lazy<CanonicalSchemaValidator> Canonical = new(LoadCanonical);

    private static readonly Lazy<EvaluationOptions> Options = new(() => Load(OutputFormat.Hierarchical));

    // The fast path: a yes/no answer, stopping at the first failure; the detailed pass runs only for invalid input.
    private static readonly Lazy<EvaluationOptions> FlagOptions = new(() => Load(OutputFormat.Flag));

    /// <summary>Entity type → schema file.</summary>
    private static readonly Dictionary<string, string> EntityFiles = new(StringComparer.Ordinal)
    {
        ["Customer"] = "canonical/customer.schema.json",
        ["Technician"] = "canonical/technician.schema.json",
        ["Job"] = "canonical/job.schema.json",
        ["Visit"] = "canonical/visit.schema.json",
        ["Invoice"] = "canonical/invoice.schema.json",
        ["Payment"] = "canonical/payment.schema.json",
        ["TimeEntry"] = "canonical/time-entry.schema.json",
        ["ServiceRequest"] = "canonical/service-request.schema.json",
        ["TimeOff"] = "canonical/time-off.schema.json",
    };

    /// <summary>Validates a mapping file's JSON form; each error as (JSON pointer, message).</summary>
    public static IReadOnlyList<(string Pointer, string Message)> ValidateMappingFile(JsonNode? root) => Validate("mapping.schema.json", root);

    /// <summary>Validates a canonical envelope (without looking inside <c>entity</c>).</summary>
    public static IReadOnlyList<(string Pointer, string Message)> ValidateEnvelope(JsonNode? root) => Canonical.Value.Validate("envelope.schema.json", root);

    /// <summary>Validates a canonical entity of <paramref name="entityType"/>; null when no schema is known for it.</summary>
    public static IReadOnlyList<(string Pointer, string Message)>? ValidateEntity(string entityType, JsonNode? entity) =>
        EntityFiles.TryGetValue(entityType, out var file) ? Canonical.Value.Validate(file["canonical/".Length..], entity) : null;

    /// <summary>Validates with the full JSON Schema implementation (mapping files; tests compare the canonical validator with it).</summary>
    internal static List<(string Pointer, string Message)> Validate(string file, JsonNode? root)
    {
        var errors = new List<(string Pointer, string Message)>();
        var uri = new Uri(Base + file);
        EvaluationResults results;
        try
        {
            var flag = FlagOptions.Value;
            if (((JsonSchema)flag.SchemaRegistry.Get(uri)).Evaluate(root, flag).IsValid)
                return errors;
            var options = Options.Value;
            results = ((JsonSchema)options.SchemaRegistry.Get(uri)).Evaluate(root, options);
        }
        catch (JsonSchemaException ex)
        {
            errors.Add(("", "the schema could not be applied: " + ex.Message));
            return errors;
        }
        Collect(results, errors);
        return errors;
    }

    /// <summary>
    /// Walks the hierarchical results, descending only into failed nodes: a passing <c>oneOf</c> branch or an
    /// <c>if</c> that did not apply adds no noise.
    /// </summary>
    private static void Collect(EvaluationResults node, List<(string Pointer, string Message)> errors)
    {
        if (node.IsValid || node.EvaluationPath.ToString().EndsWith("/if", StringComparison.Ordinal))
            return;
        foreach (var (keyword, message) in node.Errors ?? new Dictionary<string, string>())
        {
            var pointer = node.InstanceLocation.ToString();
            var text = keyword == "" || message.Contains("false schema", StringComparison.OrdinalIgnoreCase)
                ? $"unknown property '{LastSegment(pointer)}'"
                : message.Replace("\u0022", "'", StringComparison.Ordinal);
            if (!errors.Contains((pointer, text)))
                errors.Add((pointer, text));
        }
        if (node.HasDetails)
        {
            foreach (var detail in node.Details)
                Collect(detail, errors);
        }
    }

    /// <summary>
    /// The values the schema file <paramref name="file"/> (e.g. <c>mapping.schema.json</c>,
    /// <c>canonical/envelope.schema.json</c>) allows for a property named <paramref name="property"/> (its first
    /// <c>enum</c>), for error messages that list them; empty when the property has no enum.
    /// </summary>
    public static IReadOnlyList<string> AllowedValues(string file, string property)
    {
        using var stream = typeof(SchemaCatalog).Assembly.GetManifestResourceStream("schema/" + file);
        return stream is null ? [] : FindEnum(JsonNode.Parse(stream), property) ?? [];
    }

    /// <summary>
    /// The values the schema file <paramref name="file"/> allows at the instance location <paramref name="pointer"/>
    /// (a JSON pointer such as <c>/operations/0/connector</c>), found by walking the schema along the pointer
    /// (<c>properties</c>, <c>items</c>, local <c>$ref</c>s and the branches of <c>allOf</c>/<c>anyOf</c>/<c>oneOf</c>/
    /// <c>then</c>/<c>else</c>); empty when the schema has no enum there. Two properties of one name in different places
    /// (an operation's <c>connector</c> and an enrich read's) each get their own list.
    /// </summary>
    public static IReadOnlyList<string> AllowedValuesAt(string file, string pointer)
    {
        ArgumentNullException.ThrowIfNull(pointer);
        using var stream = typeof(SchemaCatalog).Assembly.GetManifestResourceStream("schema/" + file);
        if (stream is null || JsonNode.Parse(stream) is not JsonObject root)
            return [];
        IEnumerable<JsonObject> current = [root];
        foreach (var part in pointer.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            var key = part.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);
            var isIndex = int.TryParse(key, System.Globalization.CultureInfo.InvariantCulture, out _);
            current = current.SelectMany(n => Branches(root, n, 0))
                .Select(n => isIndex ? n["items"] as JsonObject : (n["properties"] as JsonObject)?[key] as JsonObject)
                .OfType<JsonObject>().ToList();
        }
        return current.SelectMany(n => Branches(root, n, 0)).Select(n => n["enum"]).OfType<JsonArray>()
            .Select(values => values.Select(v => v?.ToString() ?? "null").ToList()).FirstOrDefault() ?? [];
    }

    // The node and every subschema it stands for: its local $ref's target and its combinators' branches, recursively.
    private static IEnumerable<JsonObject> Branches(JsonObject root, JsonObject node, int depth)
    {
        if (depth > 16)
            yield break;
        yield return node;
        if (node["$ref"]?.GetValue<string>() is { } reference && reference.StartsWith("#/", StringComparison.Ordinal))
        {
            JsonNode? target = root;
            foreach (var part in reference[2..].Split('/'))
                target = (target as JsonObject)?[part];
            if (target is JsonObject resolved)
            {
                foreach (var branch in Branches(root, resolved, depth + 1))
                    yield return branch;
            }
        }
        foreach (var combinator in new[] { "allOf", "anyOf", "oneOf" })
        {
            foreach (var child in (node[combinator] as JsonArray ?? []).OfType<JsonObject>())
            {
                foreach (var branch in Branches(root, child, depth + 1))
                    yield return branch;
            }
        }
        foreach (var conditional in new[] { "then", "else" })
        {
            if (node[conditional] is JsonObject child)
            {
                foreach (var branch in Branches(root, child, depth + 1))
                    yield return branch;
            }
        }
    }

    private static List<string>? FindEnum(JsonNode? node, string property)
    {
        switch (node)
        {
            case JsonObject obj:
                if (obj["properties"] is JsonObject properties && properties[property] is JsonObject target && target["enum"] is JsonArray values)
                    return [.. values.Select(v => v?.ToString() ?? "null")];
                foreach (var (_, child) in obj)
                {
                    if (FindEnum(child, property) is { } found)
                        return found;
                }
                return null;
            case JsonArray array:
                foreach (var child in array)
                {
                    if (FindEnum(child, property) is { } found)
                        return found;
                }
                return null;
            default:
                return null;
        }
    }

    private static string LastSegment(string pointer) => pointer[(pointer.LastIndexOf('/') + 1)..];

    private static CanonicalSchemaValidator LoadCanonical()
    {
        var assembly = typeof(SchemaCatalog).Assembly;
        var documents = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith("schema/canonical/", StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            documents[name["schema/canonical/".Length..]] = JsonNode.Parse(stream)!.AsObject();
        }
        return new CanonicalSchemaValidator(documents);
    }

    private static EvaluationOptions Load(OutputFormat format)
    {
        var options = new EvaluationOptions { OutputFormat = format };
        var registry = options.SchemaRegistry;
        var assembly = typeof(SchemaCatalog).Assembly;
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith("schema/", StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var reader = new StreamReader(stream);
            var schema = JsonSchema.FromText(reader.ReadToEnd());
            registry.Register(new Uri(Base + name["schema/".Length..]), schema);
        }
        return options;
    }
}
