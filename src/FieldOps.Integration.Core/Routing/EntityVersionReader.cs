using System.Text.Json.Nodes;
using FieldOps.Integration.Core.Sources;

namespace FieldOps.Integration.Core.Routing;

/// <summary>Reads the entity version a canonical envelope stands for, for the router's stale-write check.</summary>
internal static class EntityVersionReader
{
    /// <summary>The claim, or null when the envelope has no readable <c>sourceVersion</c> (such events route as before).</summary>
    public static EntityVersionClaim? Read(string source, JsonObject? canonical)
    {
        if (canonical is null || SourceVersion.Read(canonical["sourceVersion"]) is not { } version)
            return null;
        if (Text(canonical["entityType"]) is not { } entityType || Text(canonical["entityId"]) is not { } entityId)
            return null;
        // The raw topic when the source gives one, as the hydrator and the poll record it; else the canonical type.
        var topic = Text(canonical["sourceTopic"]) ?? Text(canonical["type"]) ?? entityType;
        return new EntityVersionClaim(source, entityType, entityId, version, topic);
    }

    private static string? Text(JsonNode? node) =>
        node is JsonValue value && value.TryGetValue<string>(out var text) && text.Length > 0 ? text : null;
}
