using System.Text.Json.Nodes;
using FieldOps.Integration.Core.Mapping.Model;

namespace FieldOps.Integration.Core.Mapping.Loading;

internal static partial class MappingFileCompiler
{
    private static readonly string[] BodyParts = ["idempotencyKey", "partitionKey", "xrefSourceId", "fields", "params"];

    private static CompiledFlow? CompileFlow(
        YamlJsonDocument document, JsonObject root, TemplateCompiler compiler, string name, List<MappingDiagnostic> diagnostics, TargetSchemas.TargetSchemaSet? schemas)
    {
        TargetSchemas.TargetSchemaCheck.Check(document, root, schemas ?? TargetSchemas.TargetSchemaSet.Shipped, diagnostics);
        var when = (JsonObject)root["when"]!;
        var types = when["type"] is JsonArray array
            ? array.Select(t => t!.GetValue<string>()).ToHashSet(StringComparer.Ordinal)
            : new HashSet<string>(StringComparer.Ordinal) { when["type"]!.GetValue<string>() };
        var canonicalTypes = SchemaCatalog.AllowedValues("canonical/envelope.schema.json", "type");
        var typeIndex = 0;
        foreach (var type in types)
        {
            if (canonicalTypes.Count > 0 && !canonicalTypes.Contains(type, StringComparer.Ordinal))
            {
                var pointer = when["type"] is JsonArray ? YamlJsonDocument.Child("/when/type", typeIndex) : "/when/type";
                diagnostics.Add(document.Diagnostic(pointer,
                    $"unknown event type '{type}'{FieldOps.Integration.Core.Text.NearestName.Hint(type, canonicalTypes)}; the canonical types are {string.Join(", ", canonicalTypes)}"));
            }
            typeIndex++;
        }
        var condition = when.ContainsKey("condition") ? compiler.Expression("/when/condition") : null;
        var operations = new List<CompiledOperation>();
        var parts = new List<FlowOperationParts>();
        var keys = new HashSet<string>(StringComparer.Ordinal);
        var items = (JsonArray)root["operations"]!;
        for (var i = 0; i < items.Count; i++)
        {
            var pointer = YamlJsonDocument.Child("/operations", i);
            var op = (JsonObject)items[i]!;
            var key = op["key"]!.GetValue<string>();
            if (!keys.Add(key))
                diagnostics.Add(document.Diagnostic(pointer + "/key", $"operation key '{key}' is used twice in this flow"));
            var bodyParts = BodyParts.Where(op.ContainsKey).Select(p => (p, pointer + "/" + p)).ToList();
            parts.Add(new FlowOperationParts(i, op.ContainsKey("when") ? pointer + "/when" : null, op.ContainsKey("forEach"), bodyParts));
            var body = compiler.Object(pointer, bodyParts);
            if (body is null)
                continue;
            operations.Add(new CompiledOperation
            {
                Key = key,
                Connector = op["connector"]!.GetValue<string>(),
                Connection = op["connection"]?.GetValue<string>() ?? "default",
                Operation = op["operation"]!.GetValue<string>(),
                ObjectType = op["objectType"]!.GetValue<string>(),
                When = op.ContainsKey("when") ? compiler.Expression(pointer + "/when") : null,
                ForEach = op.ContainsKey("forEach") ? compiler.Expression(pointer + "/forEach") : null,
                Body = body,
            });
        }
        var enrich = Enrich(document, root, compiler, diagnostics);
        var composite = compiler.Flow(when.ContainsKey("condition") ? "/when/condition" : null, parts);
        var checks = Checks(document, root, compiler, keys, diagnostics);
        if (composite is null || operations.Count != items.Count || checks is null)
            return null;
        return new CompiledFlow
        {
            Composite = composite,
            Name = name,
            File = document.File,
            ContentHash = Hash(document.Text),
            Types = types,
            Condition = condition,
            Lookups = Lookups(document, root, diagnostics),
            Operations = operations,
            Enrich = enrich,
            Checks = checks,
        };
    }

    /// <summary>
    /// The flow's <c>enrich</c> steps. A step's name becomes a variable, so it may not hide a function, a lookup,
    /// <c>$company</c>, <c>$item</c>/<c>$index</c> or another step.
    /// </summary>
    private static List<CompiledEnrichStep> Enrich(YamlJsonDocument document, JsonObject root, TemplateCompiler compiler, List<MappingDiagnostic> diagnostics)
    {
        var steps = new List<CompiledEnrichStep>();
        if (root["enrich"] is not JsonArray list)
            return steps;
        var taken = new HashSet<string>(StringComparer.Ordinal) { "item", "index" };
        if (root["lookups"] is JsonObject lookups)
            taken.UnionWith(lookups.Select(l => l.Key));
        for (var i = 0; i < list.Count; i++)
        {
            var pointer = YamlJsonDocument.Child("/enrich", i);
            var step = (JsonObject)list[i]!;
            var name = step["name"]!.GetValue<string>();
            if (Evaluation.MappingFunctions.ReservedNames.Contains(name) || !taken.Add(name))
            {
                diagnostics.Add(document.Diagnostic(pointer + "/name",
                    $"enrich name '{name}' would hide a function, a lookup, $company, $item, $index or another step's result; choose another name"));
                continue;
            }
            var parameters = step["params"] is JsonObject given
                ? given.Select(p => (p.Key, YamlJsonDocument.Child(pointer + "/params", p.Key))).ToList()
                : [];
            var compiled = compiler.Object(pointer + "/params", parameters);
            var when = step.ContainsKey("when") ? compiler.Expression(pointer + "/when") : null;
            if (compiled is null || (step.ContainsKey("when") && when is null))
                continue;
            steps.Add(new CompiledEnrichStep
            {
                Name = name,
                Connector = step["connector"]!.GetValue<string>(),
                Connection = step["connection"]?.GetValue<string>() ?? "default",
                Read = step["read"]!.GetValue<string>(),
                When = when,
                Params = compiled,
            });
        }
        return steps;
    }

    private static List<CompiledCheck>? Checks(
        YamlJsonDocument document, JsonObject root, TemplateCompiler compiler, HashSet<string> keys, List<MappingDiagnostic> diagnostics)
    {
        var checks = new List<CompiledCheck>();
        if (root["checks"] is not JsonArray list)
            return checks;
        var ok = true;
        for (var i = 0; i < list.Count; i++)
        {
            var pointer = YamlJsonDocument.Child("/checks", i);
            var check = (JsonObject)list[i]!;
            var key = check["operation"]!.GetValue<string>();
            if (!keys.Contains(key))
            {
                diagnostics.Add(document.Diagnostic(pointer + "/operation", $"check names operation '{key}', which this flow does not have"));
                ok = false;
                continue;
            }
            if (compiler.Expression(pointer + "/expect") is { } expect)
                checks.Add(new CompiledCheck(key, check["name"]!.GetValue<string>(), expect));
            else
                ok = false;
        }
        return ok ? checks : null;
    }

    private static CompiledProfile? CompileProfile(
        YamlJsonDocument document, JsonObject root, TemplateCompiler compiler, string name, List<MappingDiagnostic> diagnostics)
    {
        var requires = new List<(string, CompiledTemplate)>();
        if (root["requires"] is JsonObject conditions)
        {
            foreach (var (reason, _) in conditions)
            {
                if (compiler.Expression(YamlJsonDocument.Child("/requires", reason)) is { } expression)
                    requires.Add((reason, expression));
            }
        }
        var envelopeFields = ((JsonObject)root["envelope"]!).Select(p => (p.Key, YamlJsonDocument.Child("/envelope", p.Key))).ToList();
        var envelope = compiler.Object("/envelope", envelopeFields);
        var entities = new Dictionary<string, CompiledTemplate>(StringComparer.Ordinal);
        foreach (var (entityType, _) in (JsonObject)root["entities"]!)
        {
            if (compiler.Expression(YamlJsonDocument.Child("/entities", entityType)) is { } expression)
                entities[entityType] = expression;
        }
        var lookups = Lookups(document, root, diagnostics);
        if (envelope is null)
            return null;
        return new CompiledProfile
        {
            Name = name,
            SourceKind = root["sourceKind"]!.GetValue<string>(),
            File = document.File,
            ContentHash = Hash(document.Text),
            Requires = requires,
            Lookups = lookups,
            Envelope = envelope,
            Entities = entities,
        };
    }
}
