using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using FieldOps.Integration.Core.Mapping.Evaluation;
using FieldOps.Integration.Core.Mapping.Model;

namespace FieldOps.Integration.Core.Mapping.Loading;

/// <summary>
/// Turns one mapping file into a compiled profile, flow or test: YAML (with marks) → JSON Schema check → JSONata
/// compilation of every expression. Every problem is added to the diagnostics with its file, line and column.
/// </summary>
internal static partial class MappingFileCompiler
{
    /// <summary>The compiled file (<see cref="CompiledProfile"/>, <see cref="CompiledFlow"/>, <see cref="MappingTestCase"/>), or null.</summary>
    /// <summary>An enum error with the allowed values and the nearest one: "'quickbook' is not allowed (did you mean 'quickbooks'?); allowed: …".</summary>
    private static string WithAllowedValues(YamlJsonDocument document, string pointer, string message)
    {
        if (!message.Contains("enum", StringComparison.OrdinalIgnoreCase))
            return message;
        var allowed = SchemaCatalog.AllowedValuesAt("mapping.schema.json", pointer);
        if (allowed.Count == 0)
            return message;
        var found = Node(document.Root, pointer)?.ToString() ?? "";
        return $"'{found}' is not allowed{FieldOps.Integration.Core.Text.NearestName.Hint(found, allowed)}; allowed: {string.Join(", ", allowed)}";
    }

    private static JsonNode? Node(JsonNode? root, string pointer)
    {
        var node = root;
        foreach (var part in pointer.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            var key = part.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);
            node = node switch
            {
                JsonObject obj => obj[key],
                JsonArray array when int.TryParse(key, System.Globalization.CultureInfo.InvariantCulture, out var i) && i < array.Count => array[i],
                _ => null,
            };
        }
        return node;
    }

    public static object? Compile(string file, string text, List<MappingDiagnostic> diagnostics, TargetSchemas.TargetSchemaSet? schemas = null)
    {
        ArgumentNullException.ThrowIfNull(diagnostics);
        YamlJsonDocument document;
        try
        {
            document = YamlJsonReader.Read(file, text);
        }
        catch (MappingException ex)
        {
            diagnostics.AddRange(ex.Diagnostics);
            return null;
        }
        var schemaErrors = SchemaCatalog.ValidateMappingFile(document.Root);
        if (schemaErrors.Count > 0)
        {
            diagnostics.AddRange(schemaErrors.Select(e => e.Message.StartsWith("unknown property", StringComparison.Ordinal)
                ? document.KeyDiagnostic(e.Pointer, "schema: " + e.Message)
                : document.Diagnostic(e.Pointer, "schema: " + WithAllowedValues(document, e.Pointer, e.Message))));
            return null;
        }
        var root = (JsonObject)document.Root!;
        var before = diagnostics.Count;
        var compiler = new TemplateCompiler(document, MappingFunctions.Options, diagnostics);
        var name = root["name"]?.GetValue<string>() ?? DefaultName(file);
        object? compiled = root["kind"]!.GetValue<string>() switch
        {
            "profile" => CompileProfile(document, root, compiler, name, diagnostics),
            "flow" => CompileFlow(document, root, compiler, name, diagnostics, schemas),
            _ => CompileTest(document, root, name),
        };
        return MappingDiagnostic.AnyError(diagnostics, before) ? null : compiled;
    }

    /// <summary>A short hash of a file's text.</summary>
    public static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..16];

    private static string DefaultName(string file)
    {
        var name = Path.GetFileNameWithoutExtension(file);
        return name.EndsWith(".test", StringComparison.Ordinal) ? name[..^5] : name;
    }

    private static Dictionary<string, JsonElement> Lookups(YamlJsonDocument document, JsonObject root, List<MappingDiagnostic> diagnostics)
    {
        var lookups = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        if (root["lookups"] is not JsonObject tables)
            return lookups;
        foreach (var (name, value) in tables)
        {
            if (MappingFunctions.ReservedNames.Contains(name))
            {
                diagnostics.Add(document.KeyDiagnostic(YamlJsonDocument.Child("/lookups", name), name == Evaluation.MappingEngine.CompanyVariable
                    ? $"lookup '{name}' would hide the company settings ($company, the Company configuration section); choose another name"
                    : $"lookup '{name}' would shadow the function ${name}; choose another name"));
                continue;
            }
            lookups[name] = JsonSerializer.SerializeToElement(value);
        }
        return lookups;
    }

    private static MappingTestCase CompileTest(YamlJsonDocument document, JsonObject root, string name)
    {
        var xrefs = new Dictionary<(string, string, string), string>();
        if (root["xrefs"] is JsonArray list)
        {
            foreach (var x in list.OfType<JsonObject>())
            {
                xrefs[(Text(x, "system"), Text(x, "type"), Text(x, "sourceId"))] = Text(x, "targetId");
            }
        }
        return new MappingTestCase
        {
            Name = name,
            File = document.File,
            SourceKind = Text(root, "sourceKind"),
            Event = (JsonObject)root["event"]!.DeepClone(),
            Xrefs = xrefs,
            Expect = (JsonArray)root["expect"]!.DeepClone(),
            Company = root["company"]?.DeepClone() as JsonObject,
            Enrich = root["enrich"]?.DeepClone() as JsonObject,
            ExpectUnmatched = root["expectUnmatched"]?.GetValue<string>(),
            Document = document,
        };
    }

    private static string Text(JsonObject obj, string name) => obj[name]?.GetValue<string>() ?? "";
}
