using System.Text.Json;
using System.Text.Json.Nodes;

namespace FieldOps.Integration.Core.CrossReferences;

/// <summary>
/// A cross-reference the router could not resolve yet, stored in the operation's payload as
/// <c>{"$xref": {"system": "quickbooks", "type": "Customer", "sourceId": "42"}}</c>. The dispatcher replaces each
/// one with the target id just before the call, and waits (bounded) while one is still unknown.
/// </summary>
public sealed record XrefPlaceholder(string System, string Type, string SourceId)
{
    public const string PropertyName = "$xref";

    /// <summary>The placeholder as a JSON node.</summary>
    public JsonObject ToJson() => new()
    {
        [PropertyName] = new JsonObject { ["system"] = System, ["type"] = Type, ["sourceId"] = SourceId },
    };

    /// <summary>Reads a placeholder, or returns null when <paramref name="element"/> is not one.</summary>
    public static XrefPlaceholder? TryRead(JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(PropertyName, out var inner) || inner.ValueKind != JsonValueKind.Object)
            return null;
        return inner.TryGetProperty("system", out var s) && inner.TryGetProperty("type", out var t) && inner.TryGetProperty("sourceId", out var id)
            ? new XrefPlaceholder(s.GetString() ?? "", t.GetString() ?? "", id.ValueKind == JsonValueKind.String ? id.GetString()! : id.GetRawText())
            : null;
    }
}
