using System.Collections.Concurrent;
using YamlDotNet.RepresentationModel;

namespace FieldOps.Integration.Core.Mapping.TargetSchemas;

/// <summary>
/// BambooHR request bodies from its public OpenAPI document (embedded, read once): a flow's <c>objectType</c> names the
/// component schema an endpoint takes as its request body (e.g. <c>TimeTrackingRecord</c>, which
/// <c>POST /api/v1/timetracking/record</c> takes as an array), with its properties' types, enums and <c>required</c> list.
/// </summary>
internal sealed class BambooHRSchema : ITargetSchema
{
    private const string Source = "BambooHR OpenAPI (bamboohr-public-openapi.yaml)";
    private static readonly Lazy<Spec> Document = new(Load);
    private readonly ConcurrentDictionary<string, TargetObject?> _objects = new(StringComparer.Ordinal);

    // The connector fills these for log-time (BambooHRConnector): timeTrackingId from the idempotency key, employeeId
    // from params.technician, rateType from Connectors:BambooHR:DefaultRateType.
    private static readonly HashSet<string> LogTimeSupplied = new(StringComparer.Ordinal) { "timeTrackingId", "employeeId", "rateType" };

    public static BambooHRSchema Instance { get; } = new();

    public string Connector => "bamboohr";

    public string Describe => "BambooHR";

    public IEnumerable<string> ObjectNames => Document.Value.RequestSchemas;

    public bool Covers(string operation) => true;

    public bool Creates(string operation) => operation is "create" or "log-time" or "upsert";

    public IReadOnlySet<string> SuppliedByConnector(string operation, string objectType) =>
        operation == "log-time" ? LogTimeSupplied : new HashSet<string>(StringComparer.Ordinal);

    public TargetObject? Find(string operation, string objectType) =>
        Document.Value.RequestSchemas.Contains(objectType) ? Object(objectType) : null;

    private TargetObject? Object(string name) =>
        _objects.GetOrAdd(name, n => Document.Value.Schemas.TryGetValue(n, out var schema) ? Build(n, schema) : null);

    private TargetObject Build(string name, YamlMappingNode schema)
    {
        var required = (Child(schema, "required") as YamlSequenceNode)?.Children.OfType<YamlScalarNode>().Select(s => s.Value!).ToHashSet(StringComparer.Ordinal)
            ?? [];
        var fields = new List<TargetField>();
        if (Child(schema, "properties") is YamlMappingNode properties)
        {
            foreach (var (key, value) in properties.Children)
            {
                if (key is YamlScalarNode { Value: { } property } && value is YamlMappingNode definition)
                    fields.Add(Field(property, definition, required.Contains(property)));
            }
        }
        return new TargetObject(name, Source, fields, StringComparer.Ordinal);
    }

    private TargetField Field(string name, YamlMappingNode definition, bool required)
    {
        if (Scalar(definition, "$ref") is { } reference)
        {
            var target = reference[(reference.LastIndexOf('/') + 1)..];
            return new TargetField(name, TargetFieldKind.Object, required, [], target, () => Object(target));
        }
        var type = Scalar(definition, "type") ?? "";
        var format = Scalar(definition, "format");
        var kind = (type, format) switch
        {
            ("string", "date") => TargetFieldKind.Date,
            ("string", "date-time") => TargetFieldKind.DateTime,
            ("string", _) => TargetFieldKind.String,
            ("integer", _) => TargetFieldKind.Integer,
            ("number", _) => TargetFieldKind.Number,
            ("boolean", _) => TargetFieldKind.Boolean,
            ("object", _) => TargetFieldKind.Object,
            ("array", _) => TargetFieldKind.Array,
            _ => TargetFieldKind.Any,
        };
        var allowed = (Child(definition, "enum") as YamlSequenceNode)?.Children.OfType<YamlScalarNode>().Select(s => s.Value!).ToList() ?? [];
        Func<TargetObject?>? children = null;
        if (kind == TargetFieldKind.Array && Child(definition, "items") is YamlMappingNode items && Scalar(items, "$ref") is { } itemRef)
        {
            var target = itemRef[(itemRef.LastIndexOf('/') + 1)..];
            children = () => Object(target);
        }
        else if (kind == TargetFieldKind.Object && Child(definition, "properties") is YamlMappingNode)
        {
            children = () => Build(name, definition);
        }
        return new TargetField(name, kind, required, allowed, format is null ? type : $"{type} ({format})", children)
        {
            Writable = Scalar(definition, "readOnly") != "true",
        };
    }

    private static YamlNode? Child(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;

    private static string? Scalar(YamlMappingNode node, string key) => (Child(node, key) as YamlScalarNode)?.Value;

    private sealed record Spec(IReadOnlyDictionary<string, YamlMappingNode> Schemas, IReadOnlySet<string> RequestSchemas);

    private static Spec Load()
    {
        var yaml = new YamlStream();
        using (var reader = new StreamReader(EmbeddedSpecs.Open("bamboohr/bamboohr-public-openapi.yaml")))
            yaml.Load(reader);
        var root = (YamlMappingNode)yaml.Documents[0].RootNode;
        var schemas = new Dictionary<string, YamlMappingNode>(StringComparer.Ordinal);
        if (Child(root, "components") is YamlMappingNode components && Child(components, "schemas") is YamlMappingNode all)
        {
            foreach (var (key, value) in all.Children)
                if (key is YamlScalarNode { Value: { } name } && value is YamlMappingNode schema)
                    schemas[name] = schema;
        }
        // The schemas a request body names: directly, or as the items of an array schema (a bulk endpoint).
        var requests = new HashSet<string>(StringComparer.Ordinal);
        foreach (var node in Descendants(Child(root, "paths")))
        {
            if (node is not YamlMappingNode operation || Child(operation, "requestBody") is not YamlMappingNode body)
                continue;
            foreach (var reference in Descendants(body).OfType<YamlMappingNode>().Select(n => Scalar(n, "$ref")).OfType<string>())
            {
                var name = reference[(reference.LastIndexOf('/') + 1)..];
                requests.Add(name);
                if (schemas.TryGetValue(name, out var schema) && Child(schema, "items") is YamlMappingNode items && Scalar(items, "$ref") is { } itemRef)
                    requests.Add(itemRef[(itemRef.LastIndexOf('/') + 1)..]);
            }
        }
        return new Spec(schemas, requests);
    }

    private static IEnumerable<YamlNode> Descendants(YamlNode? node)
    {
        if (node is null)
            yield break;
        yield return node;
        var children = node switch
        {
            YamlMappingNode mapping => mapping.Children.Values,
            YamlSequenceNode sequence => sequence.Children,
            _ => (IEnumerable<YamlNode>)[],
        };
        foreach (var child in children)
            foreach (var descendant in Descendants(child))
                yield return descendant;
    }
}
