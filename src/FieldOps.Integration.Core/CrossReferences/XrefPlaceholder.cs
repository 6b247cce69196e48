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

    /// <summary>Reads a placeholder, or returns null when <paramref name="node"/> is not one.</summary>
    public static XrefPlaceholder? TryRead(JsonNode? node)
    {
        if (node is not JsonObject obj || obj[PropertyName] is not JsonObject inner)
            return null;
        return inner["system"] is JsonValue s && inner["type"] is JsonValue t && inner["sourceId"] is JsonValue id
            ? new XrefPlaceholder(s.ToString(), t.ToString(), id.GetValueKind() == JsonValueKind.String ? id.GetValue<string>() : id.ToJsonString())
            : null;
    }
}
