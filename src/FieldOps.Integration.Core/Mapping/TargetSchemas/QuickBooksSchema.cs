using System.Collections.Concurrent;
using System.Xml;
using System.Xml.Schema;

namespace FieldOps.Integration.Core.Mapping.TargetSchemas;

/// <summary>
/// QuickBooks Online entities from Intuit's v3 XSD (<c>Finance.xsd</c> with the base and name types it includes), read
/// from the embedded files once: element names (which the JSON API uses as property names), their XSD types,
/// enumerations and <c>minOccurs</c>. An entity's fields include those it inherits (<c>NameBase</c>, <c>Transaction</c>, …).
/// </summary>
public sealed class QuickBooksSchema : ITargetSchema
{
    private const string Source = "QuickBooks XSD (Finance.xsd)";
    private static readonly Lazy<XmlSchemaSet> Schemas = new(Load);
    private readonly ConcurrentDictionary<XmlSchemaComplexType, TargetObject> _objects = new();

    public static QuickBooksSchema Instance { get; } = new();

    public string Connector => "quickbooks";

    public string Describe => "QuickBooks";

    public IEnumerable<string> ObjectNames =>
        Schemas.Value.GlobalTypes.Values.OfType<XmlSchemaComplexType>().Where(t => !t.IsAbstract).Select(t => t.QualifiedName.Name);

    public bool Covers(string operation) => operation is "create" or "upsert" or "update";

    public bool Creates(string operation) => operation is "create" or "upsert";

    /// <summary>
    /// An invoice line may name its product or service and its tax code instead of giving their ids: the connector looks
    /// the ids up (Connectors:QuickBooks:Items, Tax), so <c>ItemRef.value</c> and <c>TaxCodeRef.value</c> need not be written.
    /// </summary>
    public IReadOnlySet<string> SuppliedByConnector(string operation, string objectType) =>
        objectType == "Invoice" ? InvoiceSupplied : new HashSet<string>(StringComparer.Ordinal);

    private static readonly HashSet<string> InvoiceSupplied = new(StringComparer.Ordinal)
    {
        "Line[].SalesItemLineDetail.ItemRef.value", "Line[].SalesItemLineDetail.TaxCodeRef.value",
    };

    public TargetObject? Find(string operation, string objectType)
    {
        if (operation is "send" or "delete")
            return null; // these take params, not fields
        var name = new XmlQualifiedName(objectType, "http://schema.intuit.com/finance/v3");
        return Schemas.Value.GlobalTypes[name] is XmlSchemaComplexType type ? Object(type, objectType) : null;
    }

    private TargetObject Object(XmlSchemaComplexType type, string name) =>
        _objects.GetOrAdd(type, t => new TargetObject(name, Source, Fields(t), StringComparer.Ordinal));

    private List<TargetField> Fields(XmlSchemaComplexType type)
    {
        var fields = new List<TargetField>();
        // A complex type with simple content (ReferenceType: the id as text, a name attribute) is {"value": …, "name": …} in JSON.
        if (type.ContentType == XmlSchemaContentType.TextOnly && type.Datatype is { } text)
            fields.Add(new TargetField("value", Kind(text), true, [], "xs:" + text.TypeCode.ToString().ToLowerInvariant()));
        foreach (XmlSchemaAttribute attribute in type.AttributeUses.Values)
        {
            if (attribute.AttributeSchemaType is { } attributeType)
                fields.Add(new TargetField(attribute.Name ?? attribute.QualifiedName.Name, Kind(attributeType.Datatype), attribute.Use == XmlSchemaUse.Required,
                    Enumeration(attributeType), TypeName(attributeType)));
        }
        Collect(type.ContentTypeParticle, required: true, fields);
        return fields;
    }

    private void Collect(XmlSchemaParticle? particle, bool required, List<TargetField> fields)
    {
        switch (particle)
        {
            case XmlSchemaElement element when element.ElementSchemaType is { } elementType:
                var name = element.QualifiedName.Name;
                var many = element.MaxOccurs > 1;
                var mandatory = required && element.MinOccurs >= 1;
                var field = elementType switch
                {
                    XmlSchemaComplexType complex => new TargetField(name, many ? TargetFieldKind.Array : TargetFieldKind.Object, mandatory, [], TypeName(complex),
                        () => Object(complex, complex.QualifiedName.IsEmpty ? name : complex.QualifiedName.Name)),
                    XmlSchemaSimpleType simple => new TargetField(name, many ? TargetFieldKind.Array : Kind(simple.Datatype), mandatory, Enumeration(simple), TypeName(simple)),
                    _ => new TargetField(name, TargetFieldKind.Any, mandatory, [], "?"),
                };
                fields.Add(field);
                break;
            case XmlSchemaSequence sequence:
                foreach (var item in sequence.Items.OfType<XmlSchemaParticle>())
                    Collect(item, required && sequence.MinOccurs >= 1, fields);
                break;
            case XmlSchemaChoice choice:
                // One of the choice's elements is enough: none of them is required on its own.
                foreach (var item in choice.Items.OfType<XmlSchemaParticle>())
                    Collect(item, required: false, fields);
                break;
            case XmlSchemaAll all:
                foreach (var item in all.Items.OfType<XmlSchemaParticle>())
                    Collect(item, required && all.MinOccurs >= 1, fields);
                break;
        }
    }

    private static string TypeName(XmlSchemaType type)
    {
        if (!type.QualifiedName.IsEmpty)
            return type.QualifiedName.Namespace == XmlSchema.Namespace ? "xs:" + type.QualifiedName.Name : type.QualifiedName.Name;
        return type.BaseXmlSchemaType is { } baseType ? TypeName(baseType) : "?";
    }

    private static List<string> Enumeration(XmlSchemaType type) =>
        type is XmlSchemaSimpleType { Content: XmlSchemaSimpleTypeRestriction restriction }
            ? restriction.Facets.OfType<XmlSchemaEnumerationFacet>().Select(f => f.Value!).ToList()
            : [];

    private static TargetFieldKind Kind(XmlSchemaDatatype? datatype) => datatype?.TypeCode switch
    {
        XmlTypeCode.Decimal or XmlTypeCode.Double or XmlTypeCode.Float => TargetFieldKind.Number,
        XmlTypeCode.Integer or XmlTypeCode.Int or XmlTypeCode.Long or XmlTypeCode.Short or XmlTypeCode.Byte
            or XmlTypeCode.NonNegativeInteger or XmlTypeCode.PositiveInteger or XmlTypeCode.NegativeInteger or XmlTypeCode.NonPositiveInteger
            or XmlTypeCode.UnsignedInt or XmlTypeCode.UnsignedLong or XmlTypeCode.UnsignedShort or XmlTypeCode.UnsignedByte => TargetFieldKind.Integer,
        XmlTypeCode.Boolean => TargetFieldKind.Boolean,
        XmlTypeCode.Date => TargetFieldKind.Date,
        XmlTypeCode.DateTime => TargetFieldKind.DateTime,
        XmlTypeCode.String or XmlTypeCode.NormalizedString or XmlTypeCode.Token or XmlTypeCode.Id
            or XmlTypeCode.AnyUri or XmlTypeCode.Language or XmlTypeCode.Name or XmlTypeCode.NCName or XmlTypeCode.NmToken => TargetFieldKind.String,
        _ => TargetFieldKind.Any,
    };

    private static XmlSchemaSet Load()
    {
        var set = new XmlSchemaSet { XmlResolver = new EmbeddedResolver() };
        using (var stream = EmbeddedSpecs.Open("quickbooks/Finance.xsd"))
        using (var reader = XmlReader.Create(stream, new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null }, "embedded:///quickbooks/Finance.xsd"))
            set.Add(null, reader);
        set.Compile();
        return set;
    }

    /// <summary>Resolves the XSD's includes to the embedded copies, never to the file system or the network.</summary>
    private sealed class EmbeddedResolver : XmlResolver
    {
        public override object? GetEntity(Uri absoluteUri, string? role, Type? ofObjectToReturn)
        {
            ArgumentNullException.ThrowIfNull(absoluteUri);
            return EmbeddedSpecs.Open("quickbooks/" + Path.GetFileName(absoluteUri.AbsolutePath));
        }
    }
}
