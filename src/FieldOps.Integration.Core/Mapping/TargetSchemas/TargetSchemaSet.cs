namespace FieldOps.Integration.Core.Mapping.TargetSchemas;

/// <summary>The target schemas a mapping load checks flows against, by connector name.</summary>
public sealed class TargetSchemaSet
{
    private readonly Dictionary<string, ITargetSchema> _schemas;

    public TargetSchemaSet(IEnumerable<ITargetSchema> schemas)
    {
        ArgumentNullException.ThrowIfNull(schemas);
        _schemas = schemas.ToDictionary(s => s.Connector, StringComparer.Ordinal);
    }

    /// <summary>The schemas shipped with the product (QuickBooks' XSD, BambooHR's OpenAPI): checked offline, always.</summary>
    public static TargetSchemaSet Shipped { get; } = new([QuickBooksSchema.Instance, BambooHRSchema.Instance]);

    /// <summary>These schemas plus <paramref name="more"/> (e.g. Salesforce and HubSpot from the cache), which win on a clash.</summary>
    public TargetSchemaSet With(IEnumerable<ITargetSchema> more) =>
        new(_schemas.Values.Where(s => !more.Any(m => m.Connector == s.Connector)).Concat(more));

    public ITargetSchema? For(string connector) => _schemas.GetValueOrDefault(connector);
}
