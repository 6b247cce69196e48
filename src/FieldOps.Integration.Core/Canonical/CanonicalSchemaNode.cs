using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace FieldOps.Integration.Core.Canonical;

/// <summary>One compiled subschema of the canonical model (the JSON Schema keywords the canonical schemas use).</summary>
internal sealed class CanonicalSchemaNode
{
    public string[]? Types { get; set; }

    public string[] Required { get; set; } = [];

    public Dictionary<string, CanonicalSchemaNode>? Properties { get; set; }

    /// <summary>False when <c>additionalProperties: false</c>.</summary>
    public bool AllowsAdditional { get; set; } = true;

    public CanonicalSchemaNode? AdditionalProperties { get; set; }

    public CanonicalSchemaNode? Items { get; set; }

    public JsonNode?[]? Enum { get; set; }

    public CanonicalSchemaNode[]? AnyOf { get; set; }

    /// <summary>A <c>$ref</c>, resolved on first use (the canonical schemas refer to each other).</summary>
    public Lazy<CanonicalSchemaNode>? Ref { get; set; }

    public int? MinLength { get; set; }

    public Regex? Pattern { get; set; }

    public decimal? Minimum { get; set; }
}
