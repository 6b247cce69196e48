using System.Text.Json;
using System.Text.Json.Nodes;

namespace FieldOps.Integration.Core.Mapping.TargetSchemas;

/// <summary>What a plain source path gives, from the canonical schemas: its kind and where that is said.</summary>
/// <param name="Kind">The kind every branch of the schema agrees on (null allowed besides).</param>
/// <param name="Describe">For messages, e.g. <c>the source field 'entity.displayName' (string in customer.schema.json)</c>.</param>
internal sealed record SourceKind(ValueKind Kind, string Describe);

/// <summary>
/// Types plain JSONata paths over the canonical event (<c>entity.customer.displayName</c>, <c>occurredAt</c>,
/// <c>phones[0].number</c> inside <c>entity.customer.{…}</c>) from the canonical JSON Schemas shipped in the build
/// (<c>mappings/schema/canonical/</c>). The flow's event types give the entity schema: an event type is named after its
/// entity type (<c>TimeEntryUpserted</c> → <c>TimeEntry</c>), both enumerated in the envelope schema. A path is typed only
/// when every schema branch on the way agrees on one kind; anything else (a variable, a function, a field the schema does
/// not list, a step that maps over a list in the middle of the path) is not typed, so it is never guessed.
/// </summary>
internal sealed class SourcePaths
{
    private const string EntityPrefix = "schema/canonical/";
    private static readonly Lazy<Dictionary<string, JsonObject>> Documents = new(Load);

    private readonly IReadOnlyList<Node> _context;

    /// <summary>The path of the context (<c>entity.lineItems[]</c> inside <c>entity.lineItems.{…}</c>), for messages; empty at the root.</summary>
    private readonly string _prefix;

    private SourcePaths(IReadOnlyList<Node> context, string prefix)
    {
        _context = context;
        _prefix = prefix;
    }

    /// <summary>A schema node and the file it is in (for relative <c>$ref</c>s and messages).</summary>
    private readonly record struct Node(JsonObject Schema, string File);

    /// <summary>The paths of a flow whose <c>when.type</c> is <paramref name="root"/>'s, or null when no entity type is known.</summary>
    public static SourcePaths? ForFlow(JsonObject root)
    {
        ArgumentNullException.ThrowIfNull(root);
        var types = root["when"]?["type"] switch
        {
            JsonArray list => list.Select(t => t is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : "").ToList(),
            JsonValue one when one.GetValueKind() == JsonValueKind.String => [one.GetValue<string>()],
            _ => [],
        };
        var documents = Documents.Value;
        if (!documents.TryGetValue("envelope.schema.json", out var envelope))
            return null;
        var entityTypes = (envelope["properties"]?["entityType"]?["enum"] as JsonArray ?? []).Select(e => e?.ToString() ?? "").ToList();
        var entities = new List<Node>();
        foreach (var type in types)
        {
            // The longest entity type the event type starts with (TimeEntryUpserted → TimeEntry, not Time…).
            var entity = entityTypes.Where(e => e.Length > 0 && type.StartsWith(e, StringComparison.Ordinal)).MaxBy(e => e.Length);
            var file = entity is null ? null : documents.Keys.FirstOrDefault(f => string.Equals(f.Replace("-", "", StringComparison.Ordinal), entity + ".schema.json", StringComparison.OrdinalIgnoreCase));
            if (file is null)
                return null; // an event type without an entity schema (EntityDeleted): the entity is not typed
            entities.Add(new Node(documents[file], file));
        }
        if (entities.Count == 0)
            return null;
        // The envelope with its "entity" replaced by the flow's entity schema(s).
        var properties = (envelope["properties"] as JsonObject ?? []).DeepClone().AsObject();
        var anyOf = new JsonArray();
        foreach (var entity in entities.DistinctBy(e => e.File))
            anyOf.Add(new JsonObject { ["$ref"] = entity.File });
        properties["entity"] = new JsonObject { ["anyOf"] = anyOf };
        return new SourcePaths([new Node(new JsonObject { ["type"] = "object", ["properties"] = properties }, "envelope.schema.json")], "");
    }

    /// <summary>
    /// The paths inside <c><paramref name="path"/>.{…}</c>: relative to each item <paramref name="path"/> gives, or null
    /// when <paramref name="path"/> is not a path the schemas know.
    /// </summary>
    public SourcePaths? Enter(string path)
    {
        if (Walk(path) is not { } leaves)
            return null;
        var items = leaves.SelectMany(l => Expand(l)).SelectMany(l => Kinds(l).Contains("array") && l.Schema["items"] is JsonObject items ? Expand(new Node(items, l.File)) : [l]).ToList();
        var lists = leaves.SelectMany(l => Expand(l)).Any(l => Kinds(l).Contains("array"));
        return items.Count == 0 ? null : new SourcePaths(items, Qualified(path) + (lists ? "[]" : ""));
    }

    /// <summary>The kind <paramref name="path"/> gives, or null when it is not a plain path or the schemas do not agree on one.</summary>
    public SourceKind? KindOf(string path)
    {
        if (Walk(path) is not { } leaves)
            return null;
        var kinds = leaves.SelectMany(l => Expand(l)).SelectMany(Kinds).Where(k => k != "null").Distinct(StringComparer.Ordinal).ToList();
        if (kinds.Count == 0)
            return null;
        ValueKind? kind = kinds switch
        {
            ["string"] => ValueKind.String,
            ["integer"] => ValueKind.Integer,
            ["number"] or ["integer", "number"] or ["number", "integer"] => ValueKind.Number,
            ["boolean"] => ValueKind.Boolean,
            ["object"] => ValueKind.Object,
            ["array"] => ValueKind.Array,
            _ => null,
        };
        var files = string.Join(", ", leaves.Select(l => l.File).Distinct(StringComparer.Ordinal));
        return kind is { } k ? new SourceKind(k, $"the source field '{Qualified(path)}' ({kinds[0]} in {files})") : null;
    }

    private string Qualified(string path) => _prefix.Length == 0 ? path.Trim() : _prefix + "." + path.Trim();

    /// <summary>Follows the steps of a plain path; null when it is not one, or a step is not in the schema.</summary>
    private List<Node>? Walk(string path)
    {
        if (Steps(path.Trim()) is not { } steps)
            return null;
        var current = _context.ToList();
        for (var s = 0; s < steps.Count; s++)
        {
            var (name, brackets) = steps[s];
            var next = new List<Node>();
            foreach (var node in current.SelectMany(n => Expand(n)))
            {
                var kinds = Kinds(node);
                if (kinds.Contains("array"))
                {
                    // A name step over a list maps over its items: the result is a list of unknown length, not typed.
                    return null;
                }
                if (kinds is ["null"])
                    continue; // a null branch (anyOf [address, null]) has no fields and gives nothing
                if (node.Schema["properties"] is JsonObject properties && properties[name] is JsonObject property)
                    next.Add(new Node(property, node.File));
                else
                    return null; // not a field the schema lists (or not an object): not typed
            }
            if (next.Count == 0)
                return null;
            foreach (var bracket in brackets)
            {
                // [n] picks an item of a list; a predicate on a list filters it (still a list, not typed further).
                var numeric = int.TryParse(bracket, out _);
                var stepped = new List<Node>();
                foreach (var node in next.SelectMany(n => Expand(n)))
                {
                    if (!Kinds(node).Contains("array"))
                        stepped.Add(node);
                    else if (numeric && node.Schema["items"] is JsonObject items)
                        stepped.Add(new Node(items, node.File));
                    else
                        return null;
                }
                next = stepped;
            }
            current = next;
        }
        return current;
    }

    /// <summary>The steps of a plain path (<c>a.b[0].`c d`</c>) with their bracket contents, or null when it is something else.</summary>
    private static List<(string Name, List<string> Brackets)>? Steps(string path)
    {
        var steps = new List<(string, List<string>)>();
        var i = 0;
        while (true)
        {
            string name;
            if (i < path.Length && path[i] == '`')
            {
                var close = path.IndexOf('`', i + 1);
                if (close < 0)
                    return null;
                name = path[(i + 1)..close];
                i = close + 1;
            }
            else
            {
                var start = i;
                while (i < path.Length && (char.IsLetterOrDigit(path[i]) || path[i] == '_'))
                    i++;
                name = path[start..i];
                if (name.Length == 0 || char.IsDigit(name[0]) || name is "and" or "or" or "in" or "true" or "false" or "null" or "function")
                    return null;
            }
            var brackets = new List<string>();
            while (i < path.Length && path[i] == '[')
            {
                var close = path.IndexOf(']', i);
                if (close < 0 || path.IndexOf('[', i + 1) is var nested && nested >= 0 && nested < close)
                    return null;
                brackets.Add(path[(i + 1)..close].Trim());
                i = close + 1;
            }
            steps.Add((name, brackets));
            if (i == path.Length)
                return steps;
            if (path[i] != '.')
                return null;
            i++;
        }
    }

    /// <summary>A schema node with its <c>$ref</c>s followed and its <c>anyOf</c>/<c>oneOf</c> branches spread out.</summary>
    private static IEnumerable<Node> Expand(Node node, int depth = 0)
    {
        if (depth > 16)
            yield break;
        if (node.Schema["$ref"] is JsonValue reference && Resolve(reference.ToString(), node.File) is { } target)
        {
            foreach (var inner in Expand(target, depth + 1))
                yield return inner;
            yield break;
        }
        var branches = (node.Schema["anyOf"] ?? node.Schema["oneOf"]) as JsonArray;
        if (branches is null)
        {
            yield return node;
            yield break;
        }
        foreach (var branch in branches.OfType<JsonObject>())
        {
            foreach (var inner in Expand(new Node(branch, node.File), depth + 1))
                yield return inner;
        }
    }

    /// <summary>The JSON types a (expanded) schema node allows: <c>type</c>, or the kinds of its <c>enum</c>/<c>const</c>.</summary>
    private static List<string> Kinds(Node node)
    {
        var schema = node.Schema;
        switch (schema["type"])
        {
            case JsonValue one:
                return [one.ToString()];
            case JsonArray many:
                return many.Select(t => t?.ToString() ?? "").ToList();
        }
        var values = schema["enum"] as JsonArray ?? (schema.ContainsKey("const") ? new JsonArray(schema["const"]?.DeepClone()) : null);
        if (values is not null)
        {
            return values.Select(v => v?.GetValueKind() switch
            {
                JsonValueKind.String => "string",
                JsonValueKind.Number => "number",
                JsonValueKind.True or JsonValueKind.False => "boolean",
                JsonValueKind.Object => "object",
                JsonValueKind.Array => "array",
                _ => "null",
            }).Distinct(StringComparer.Ordinal).ToList();
        }
        if (schema["properties"] is not null)
            return ["object"];
        return schema["items"] is not null ? ["array"] : [];
    }

    /// <summary>A <c>$ref</c> (<c>common.schema.json#/$defs/id</c>, <c>#/$defs/money</c>, <c>customer.schema.json</c>) in the canonical set.</summary>
    private static Node? Resolve(string reference, string file)
    {
        var hash = reference.IndexOf('#', StringComparison.Ordinal);
        var target = hash == 0 ? file : hash < 0 ? reference : reference[..hash];
        target = target[(target.LastIndexOf('/') + 1)..];
        if (!Documents.Value.TryGetValue(target, out var document))
            return null;
        JsonNode? node = document;
        if (hash >= 0)
        {
            foreach (var part in reference[(hash + 1)..].Split('/', StringSplitOptions.RemoveEmptyEntries))
                node = node?[part.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal)];
        }
        return node is JsonObject found ? new Node(found, target) : null;
    }

    private static Dictionary<string, JsonObject> Load()
    {
        var assembly = typeof(SourcePaths).Assembly;
        var documents = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(EntityPrefix, StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            if (JsonNode.Parse(stream) is JsonObject document)
                documents[name[EntityPrefix.Length..]] = document;
        }
        return documents;
    }
}
