using System.Text.Json.Nodes;

namespace FieldOps.Integration.Core.Mapping.Evaluation;

/// <summary>
/// The target record a canonical event names in <c>ownWrite</c> (its profile's envelope), when the event may be the
/// echo of the hub's own write: if the cross-references hold that id as one a target assigned to the hub's write, the
/// event is not routed.
/// </summary>
/// <param name="System">The target system, e.g. <c>jobber</c>.</param>
/// <param name="ObjectType">The object type as the connector writes it, e.g. <c>Client</c>.</param>
/// <param name="Id">The record's id in that system.</param>
public sealed record OwnWrite(string System, string ObjectType, string Id)
{
    /// <summary>The <c>ownWrite</c> of <paramref name="canonical"/>, or null.</summary>
    public static OwnWrite? Read(JsonObject? canonical) =>
        canonical?["ownWrite"] is JsonObject o
        && CanonicalNormaliser.Text(o["system"]) is { Length: > 0 } system
        && CanonicalNormaliser.Text(o["objectType"]) is { Length: > 0 } objectType
        && CanonicalNormaliser.Text(o["id"]) is { Length: > 0 } id
            ? new OwnWrite(system, objectType, id)
            : null;

    /// <summary>The unmatched reason when the hub wrote the record (for <paramref name="sourceId"/>).</summary>
    public string EchoReason(string sourceId) =>
        $"echo of our own write: {System} {ObjectType} {Id} was written by the hub (cross-reference of {sourceId})";
}
