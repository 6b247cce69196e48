using System.Text.Json;
using System.Text.Json.Nodes;

namespace FieldOps.Integration.Core.Mapping.TargetSchemas;

/// <summary>
/// A target schema read online and cached: Salesforce's <c>sobjects/{Object}/describe</c> answers or HubSpot's
/// <c>/crm/v3/properties/{objectType}</c> answers, one per object the flows write. Custom fields (<c>FS_Job_Id__c</c>) and
/// custom properties (<c>fs_job_id</c>) are in those answers like standard ones, so they are checked the same way.
/// </summary>
public sealed class DescribedSchema : ITargetSchema
{
    private readonly Dictionary<string, TargetObject> _objects;

    private DescribedSchema(string connector, string describe, IEnumerable<TargetObject> objects, StringComparer comparer)
    {
        Connector = connector;
        Describe = describe;
        _objects = objects.ToDictionary(o => o.Name, comparer);
    }

    public string Connector { get; }

    public string Describe { get; }

    public IEnumerable<string> ObjectNames => _objects.Keys;

    /// <summary>Only objects that were fetched are checked: an object missing from the cache is not an error here.</summary>
    public bool Covers(string operation) => false;

    /// <summary>A note (a Salesforce CaseComment, a HubSpot note) is a create too.</summary>
    public bool Creates(string operation) => operation is "create" or "upsert" or "note";

    public string? KeyParameter(string operation) => (Connector, operation) switch
    {
        ("salesforce", "upsert") => "externalIdField",
        ("hubspot", "upsert" or "update") => "idProperty",
        _ => null,
    };

    public IReadOnlySet<string> SuppliedByConnector(string operation, string objectType) => new HashSet<string>(StringComparer.Ordinal);

    public TargetObject? Find(string operation, string objectType) =>
        operation is "upsert" or "create" or "update" or "note" && _objects.TryGetValue(objectType, out var target) ? target : null;

    /// <summary>The cached answers of <paramref name="connector"/> as a schema, or null when there are none.</summary>
    public static DescribedSchema? FromCache(string connector, IEnumerable<CachedTargetSchema> cache)
    {
        ArgumentNullException.ThrowIfNull(cache);
        var mine = cache.Where(c => c.Connector == connector).ToList();
        if (mine.Count == 0)
            return null;
        return connector switch
        {
            "salesforce" => new DescribedSchema(connector, "Salesforce", mine.Select(c => Salesforce(c)), StringComparer.OrdinalIgnoreCase),
            "hubspot" => new DescribedSchema(connector, "HubSpot", mine.Select(c => HubSpot(c)), StringComparer.Ordinal),
            _ => null,
        };
    }

    /// <summary>The schemas in <paramref name="cache"/> (Salesforce, HubSpot) for <see cref="TargetSchemaSet.With"/>.</summary>
    public static IEnumerable<ITargetSchema> AllFromCache(IReadOnlyList<CachedTargetSchema> cache) =>
        new[] { FromCache("salesforce", cache), FromCache("hubspot", cache) }.OfType<ITargetSchema>();

    /// <summary>
    /// A Salesforce describe: each of <c>fields</c> with its <c>type</c>, <c>createable</c>/<c>updateable</c>,
    /// <c>nillable</c>/<c>defaultedOnCreate</c> (required on create when createable, not nillable and not defaulted) and
    /// its active <c>picklistValues</c> (strict only when <c>restrictedPicklist</c>). An upsert key is an
    /// <c>externalId</c> or <c>idLookup</c> field; a <c>deprecatedAndHidden</c> field counts as absent.
    /// </summary>
    private static TargetObject Salesforce(CachedTargetSchema cached)
    {
        var root = JsonNode.Parse(cached.Body) as JsonObject ?? [];
        var fields = new List<TargetField>();
        foreach (var field in (root["fields"] as JsonArray ?? []).OfType<JsonObject>().Where(f => !Flag(f["deprecatedAndHidden"])))
        {
            var name = Text(field["name"]);
            var type = Text(field["type"]);
            var createable = Flag(field["createable"]);
            var updateable = Flag(field["updateable"]);
            var kind = type switch
            {
                "double" or "currency" or "percent" => TargetFieldKind.Number,
                "int" or "long" => TargetFieldKind.Integer,
                "boolean" => TargetFieldKind.Boolean,
                "date" => TargetFieldKind.Date,
                "datetime" => TargetFieldKind.DateTime,
                "address" or "location" => TargetFieldKind.Object,
                "anyType" or "base64" => TargetFieldKind.Any,
                _ => TargetFieldKind.String,
            };
            var picklist = type is "picklist" or "multipicklist"
                ? (field["picklistValues"] as JsonArray ?? []).OfType<JsonObject>().Where(p => p["active"] is null || Flag(p["active"])).Select(p => Text(p["value"])).ToList()
                : [];
            fields.Add(new TargetField(name, kind, createable && !Flag(field["nillable"]) && !Flag(field["defaultedOnCreate"]) && kind != TargetFieldKind.Boolean,
                type == "multipicklist" ? [] : picklist, type)
            {
                Writable = createable || updateable,
                StrictValues = Flag(field["restrictedPicklist"]),
                IsKey = Flag(field["externalId"]) || Flag(field["idLookup"]),
            });
        }
        return new TargetObject(Text(root["name"]) is { Length: > 0 } n ? n : cached.ObjectType, Source("Salesforce describe", cached), fields, StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>
    /// HubSpot properties: each of <c>results</c> with its <c>type</c>, its <c>options</c> (for enumerations; HubSpot
    /// refuses other values; hidden options are still accepted) and whether it is read-only
    /// (<c>modificationMetadata.readOnlyValue</c>, <c>calculated</c>). An upsert key (<c>idProperty</c>) is a property with
    /// <c>hasUniqueValue</c>, or the ids HubSpot documents as such: <c>hs_object_id</c>, and <c>email</c> of contacts.
    /// HubSpot says nothing of required properties (only custom object schemas list <c>requiredProperties</c>).
    /// </summary>
    private static TargetObject HubSpot(CachedTargetSchema cached)
    {
        var root = JsonNode.Parse(cached.Body) as JsonObject ?? [];
        var fields = new List<TargetField>();
        foreach (var property in (root["results"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var type = Text(property["type"]);
            var kind = type switch
            {
                "number" => TargetFieldKind.Number,
                "date" => TargetFieldKind.Date,
                // HubSpot takes a datetime as ISO 8601 text or epoch milliseconds, a bool as true/false or "true"/"false".
                "datetime" or "bool" => TargetFieldKind.Any,
                _ => TargetFieldKind.String,
            };
            var options = type == "enumeration" && Text(property["fieldType"]) != "checkbox"
                ? (property["options"] as JsonArray ?? []).OfType<JsonObject>().Select(o => Text(o["value"])).ToList()
                : [];
            var name = Text(property["name"]);
            fields.Add(new TargetField(name, kind, false, options, type)
            {
                Writable = !Flag(property["modificationMetadata"]?["readOnlyValue"]) && !Flag(property["calculated"]),
                IsKey = Flag(property["hasUniqueValue"]) || name == "hs_object_id" || (name == "email" && cached.ObjectType == "contacts"),
            });
        }
        return new TargetObject(cached.ObjectType, Source("HubSpot properties", cached), fields, StringComparer.Ordinal);
    }

    private static string Source(string what, CachedTargetSchema cached) =>
        $"{what} fetched {cached.FetchedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture)} UTC";

    private static string Text(JsonNode? node) => node is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : "";

    private static bool Flag(JsonNode? node) => node is JsonValue value && value.GetValueKind() == JsonValueKind.True;
}
