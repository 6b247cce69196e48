using System.Xml;
using System.Xml.Schema;

namespace FieldOps.Connectors.QuickBooks.Tests.Schema;

/// <summary>
/// The QuickBooks v3 XSDs from <c>../shared/specs/quickbooks</c> (relative to the folder holding
/// FieldOps.Integration.sln), compiled with a small wrapper that declares the entities we send as global elements.
/// </summary>
internal static class QuickBooksSchema
{
    public const string Namespace = "http://schema.intuit.com/finance/v3";
    private static readonly Lazy<XmlSchemaSet> Set = new(Load);

    /// <summary>Where the XSDs are expected (whether or not they are there).</summary>
    public static string SpecDirectory { get; } = Locate();

    public static bool IsPresent => File.Exists(Path.Combine(SpecDirectory, "Finance.xsd"));

    public static XmlSchemaSet Schemas => Set.Value;

    private static string Locate()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "FieldOps.Integration.sln")))
                return Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "specs", "quickbooks"));
        }
        return Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "shared", "specs", "quickbooks"));
    }

    private static XmlSchemaSet Load()
    {
        var wrapper = $"""
            <xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns="{Namespace}" targetNamespace="{Namespace}"
                       elementFormDefault="qualified" attributeFormDefault="unqualified">
              <xs:include schemaLocation="Finance.xsd"/>
              <xs:element name="Customer" type="Customer"/>
              <xs:element name="Invoice" type="Invoice"/>
              <xs:element name="Item" type="Item"/>
            </xs:schema>
            """;
        var set = new XmlSchemaSet { XmlResolver = new XmlUrlResolver() };
        var baseUri = new Uri(Path.Combine(SpecDirectory, "fieldops-wrapper.xsd")).AbsoluteUri;
        using var reader = XmlReader.Create(new StringReader(wrapper), new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit }, baseUri);
        set.Add(XmlSchema.Read(reader, null)!);
        set.Compile();
        return set;
    }
}
