using System.Text.Json;
using System.Text.Json.Nodes;
using System.Xml;
using System.Xml.Linq;
using System.Xml.Schema;

namespace FieldOps.Connectors.QuickBooks.Tests.Schema;

/// <summary>
/// Turns a QuickBooks JSON body into the equivalent XML element, guided by the schema: properties that are attributes
/// in the XSD (<c>sparse</c>, <c>name</c> of a reference) become attributes, <c>value</c> of a simple-content type
/// becomes text, arrays repeat their element, and child elements follow the order the XSD sequence demands.
/// Properties the XSD does not know are kept (at the end) so that validation reports them.
/// </summary>
internal static class JsonToSchemaXml
{
    private static readonly XNamespace Ns = QuickBooksSchema.Namespace;

    public static IReadOnlyList<string> Validate(string entity, JsonObject body)
    {
        var schemas = QuickBooksSchema.Schemas;
        var element = (XmlSchemaElement)schemas.GlobalElements[new XmlQualifiedName(entity, QuickBooksSchema.Namespace)]!;
        var document = new XDocument(Convert(entity, body, element.ElementSchemaType));
        var errors = new List<string>();
        document.Validate(schemas, (_, e) => errors.Add($"{e.Severity}: {e.Message}"));
        return errors;
    }

    private static XElement Convert(string name, JsonNode? node, XmlSchemaType? type)
    {
        var element = new XElement(Ns + name);
        if (node is not JsonObject json)
        {
            element.Value = Text(node);
            return element;
        }
        var complex = type as XmlSchemaComplexType;
        var children = complex is null ? [] : Flatten(complex.ContentTypeParticle).ToList();
        var ordered = json.OrderBy(p => IndexOf(children, p.Key));
        foreach (var (key, value) in ordered)
        {
            if (complex?.AttributeUses[new XmlQualifiedName(key)] is XmlSchemaAttribute)
                element.SetAttributeValue(key, Text(value));
            else if (key == "value" && complex?.ContentType == XmlSchemaContentType.TextOnly)
                element.Value = Text(value);
            else
            {
                var childType = children.FirstOrDefault(c => c.Name == key)?.ElementSchemaType;
                var items = value is JsonArray array ? array.ToList() : [value];
                foreach (var item in items)
                    element.Add(Convert(key, item, childType));
            }
        }
        return element;
    }

    private static int IndexOf(List<XmlSchemaElement> children, string name)
    {
        var index = children.FindIndex(c => c.Name == name);
        return index < 0 ? int.MaxValue : index;
    }

    private static IEnumerable<XmlSchemaElement> Flatten(XmlSchemaParticle? particle) => particle switch
    {
        XmlSchemaElement element => [element],
        XmlSchemaGroupBase group => group.Items.OfType<XmlSchemaParticle>().SelectMany(Flatten),
        XmlSchemaGroupRef groupRef => Flatten(groupRef.Particle),
        _ => [],
    };

    private static string Text(JsonNode? node) => node switch
    {
        null => "",
        JsonValue value when value.GetValueKind() == JsonValueKind.True => "true",
        JsonValue value when value.GetValueKind() == JsonValueKind.False => "false",
        JsonValue value when value.GetValueKind() == JsonValueKind.Number => value.ToJsonString(),
        JsonValue value => value.ToString(),
        _ => node.ToJsonString(),
    };
}
