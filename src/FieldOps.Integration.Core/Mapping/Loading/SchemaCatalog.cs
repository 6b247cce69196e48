using System.Text.Json.Nodes;
using Json.Schema;

namespace FieldOps.Integration.Core.Mapping.Loading;

/// <summary>
/// The JSON Schemas that ship in <c>mappings/schema/</c> (embedded at build time): the mapping-file schema and one
/// schema per canonical entity plus the envelope.
/// </summary>
internal static class SchemaCatalog
{
    private const string Base = "https://fieldops.local/schema/";

    private static readonly Lazy<EvaluationOptions> Options = new(Load);

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
    };

    /// <summary>Validates a mapping file's JSON form; each error as (JSON pointer, message).</summary>
    public static IReadOnlyList<(string Pointer, string Message)> ValidateMappingFile(JsonNode? root) => Validate("mapping.schema.json", root);

    /// <summary>Validates a canonical envelope (without looking inside <c>entity</c>).</summary>
    public static IReadOnlyList<(string Pointer, string Message)> ValidateEnvelope(JsonNode? root) => Validate("canonical/envelope.schema.json", root);

    /// <summary>Validates a canonical entity of <paramref name="entityType"/>; null when no schema is known for it.</summary>
    public static IReadOnlyList<(string Pointer, string Message)>? ValidateEntity(string entityType, JsonNode? entity) =>
        EntityFiles.TryGetValue(entityType, out var file) ? Validate(file, entity) : null;

    private static List<(string Pointer, string Message)> Validate(string file, JsonNode? root)
    {
        var options = Options.Value;
        var schema = (JsonSchema)options.SchemaRegistry.Get(new Uri(Base + file));
        var errors = new List<(string Pointer, string Message)>();
        EvaluationResults results;
        try
        {
            results = schema.Evaluate(root, options);
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

    private static string LastSegment(string pointer) => pointer[(pointer.LastIndexOf('/') + 1)..];

    private static EvaluationOptions Load()
    {
        var options = new EvaluationOptions { OutputFormat = OutputFormat.Hierarchical };
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
