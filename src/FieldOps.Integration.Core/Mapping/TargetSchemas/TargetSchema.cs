namespace FieldOps.Integration.Core.Mapping.TargetSchemas;

/// <summary>What a target's schema says a field holds, as far as a mapping can be checked against it.</summary>
public enum TargetFieldKind
{
    /// <summary>Anything (the schema does not say, or says it is free-form).</summary>
    Any,
    String,
    /// <summary>A decimal or floating-point number.</summary>
    Number,
    Integer,
    Boolean,
    /// <summary>A date as text (<c>YYYY-MM-DD</c>).</summary>
    Date,
    /// <summary>A date and time as text (ISO 8601).</summary>
    DateTime,
    Object,
    Array,
}

/// <summary>One field of a target object, from the target's own schema.</summary>
/// <param name="Name">The field as the vendor spells it.</param>
/// <param name="Kind">What it holds.</param>
/// <param name="Required">The schema says a create must carry it.</param>
/// <param name="AllowedValues">The picklist or enumeration, or empty when any value of the kind goes.</param>
/// <param name="Type">The vendor's own type name (shown in messages), e.g. <c>xs:decimal</c> or <c>integer</c>.</param>
/// <param name="Children">The fields of an object (or of an array's items), read when needed; null for scalars.</param>
public sealed record TargetField(
    string Name,
    TargetFieldKind Kind,
    bool Required,
    IReadOnlyList<string> AllowedValues,
    string Type,
    Func<TargetObject?>? Children = null)
{
    /// <summary>
    /// The field can name the record an upsert writes: a Salesforce External ID (or idLookup) field, a HubSpot property with
    /// unique values.
    /// </summary>
    public bool IsKey { get; init; }

    /// <summary>Writable by an API client (false for read-only or calculated fields, when the schema says so).</summary>
    public bool Writable { get; init; } = true;

    /// <summary>
    /// The target refuses a value outside <see cref="AllowedValues"/> (an error); false when it only lists them (e.g. a
    /// Salesforce picklist that is not restricted), which makes an unlisted literal a warning.
    /// </summary>
    public bool StrictValues { get; init; } = true;
}

/// <summary>An object type of a target (a QuickBooks entity, a BambooHR request body, a Salesforce sObject, a HubSpot object type).</summary>
public sealed class TargetObject
{
    public TargetObject(string name, string source, IEnumerable<TargetField> fields, StringComparer comparer)
    {
        ArgumentNullException.ThrowIfNull(fields);
        Name = name;
        Source = source;
        Fields = fields.GroupBy(f => f.Name, comparer).ToDictionary(g => g.Key, g => g.First(), comparer);
    }

    /// <summary>The object's name as the vendor spells it.</summary>
    public string Name { get; }

    /// <summary>Where the fields come from, for messages: e.g. <c>QuickBooks XSD (Finance.xsd)</c>.</summary>
    public string Source { get; }

    /// <summary>The fields by name (case-sensitive unless the vendor's names are not).</summary>
    public IReadOnlyDictionary<string, TargetField> Fields { get; }
}

/// <summary>
/// The schema of one target (connector): which objects an operation writes, and which required fields the connector
/// supplies itself so a flow need not.
/// </summary>
public interface ITargetSchema
{
    /// <summary>The connector name in flows (<c>quickbooks</c>, <c>bamboohr</c>, …).</summary>
    string Connector { get; }

    /// <summary>The target as messages name it, e.g. <c>QuickBooks</c>.</summary>
    string Describe { get; }

    /// <summary>The object names the schema knows (for "did you mean").</summary>
    IEnumerable<string> ObjectNames { get; }

    /// <summary>True when <paramref name="operation"/>'s fields are described by this schema (so an unknown object is an error).</summary>
    bool Covers(string operation);

    /// <summary>The object <paramref name="operation"/> on <paramref name="objectType"/> writes, or null when the schema does not cover it.</summary>
    TargetObject? Find(string operation, string objectType);

    /// <summary>
    /// Required fields the connector fills in itself for <paramref name="operation"/>, as paths in the operation's fields
    /// (BambooHR's <c>timeTrackingId</c>; QuickBooks' <c>Line[].SalesItemLineDetail.ItemRef.value</c>, looked up by name).
    /// </summary>
    IReadOnlySet<string> SuppliedByConnector(string operation, string objectType);

    /// <summary>True when <paramref name="operation"/> creates a record (so required fields are checked); updates are sparse.</summary>
    bool Creates(string operation);

    /// <summary>
    /// The operation's parameter naming the field that identifies the record (Salesforce's <c>externalIdField</c>, HubSpot's
    /// <c>idProperty</c>), checked to be a key field of the object; null when the operation has none.
    /// </summary>
    string? KeyParameter(string operation) => null;
}
