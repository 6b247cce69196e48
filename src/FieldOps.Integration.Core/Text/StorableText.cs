using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using FieldOps.Integration.Core.Routing;
using FieldOps.Integration.Core.Outbox;

namespace FieldOps.Integration.Core.Text;

/// <summary>
/// What is written or looked up as text must be text every store keeps: PostgreSQL's text cannot hold a NUL
/// character (U+0000), not even as a query's parameter. A payload is JSON, where a NUL is escaped; but the keys and ids
/// a mapping computes from an event, the cross-references it looks up and a reason that quotes a value are text as they
/// are — with a NUL, the routing commit failed at every try (22021), and the router, claiming the oldest new events
/// first, took that event again and again. So an event holding a NUL anywhere is parked before it is mapped, naming
/// where; the cross-references its operations name are checked before they are looked up, and the operations before
/// they are written (a JSONata escape or a read made while mapping can bring one).
/// </summary>
internal static class StorableText
{
    /// <summary>Why the event cannot be routed — the path of the first string or key of its payload holding a NUL — or null.</summary>
    public static string? InPayload(string json)
    {
        // In JSON text a NUL is always escaped (a raw control character is not JSON): most payloads end here.
        if (!json.Contains("\\u0000", StringComparison.Ordinal))
            return null;
        using var document = JsonDocument.Parse(json);
        return Find(document.RootElement, "") is { } path ? Reason($"the event's payload at '{(path.Length == 0 ? "/" : path)}'") : null;
    }

    private static string? Find(JsonElement element, string path)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    var at = $"{path}/{Escape(property.Name)}";
                    if (Nul(property.Name))
                        return at;
                    if (Find(property.Value, at) is { } found)
                        return found;
                }
                return null;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    if (Find(item, $"{path}/{index++}") is { } found)
                        return found;
                }
                return null;
            case JsonValueKind.String:
                return Nul(element.GetString()) ? path : null;
            default:
                return null;
        }
    }

    /// <summary>
    /// Why the event cannot be stored as mapped — naming the first text, written as it is, that holds a NUL character —
    /// or null when every one can.
    /// </summary>
    public static string? Unstorable(IReadOnlyList<NewOutboxRow> rows, EntityVersionClaim? version)
    {
        foreach (var row in rows)
        {
            var field = Nul(row.IdempotencyKey) ? "idempotency key"
                : Nul(row.PartitionKey) ? "partition key"
                : Nul(row.ObjectType) ? "object type"
                : Nul(row.XrefSourceId) ? "cross-reference source id"
                : Nul(row.Connection) || Nul(row.Connector) || Nul(row.Operation) ? "connection, connector or operation"
                : null;
            if (field is not null)
                return Reason($"the {field} of flow {row.Flow}, operation {row.OperationKey}");
        }
        return version is not null && (Nul(version.EntityType) || Nul(version.EntityId) || Nul(version.Topic))
            ? Reason("the record's entity type, id or topic (its version is recorded under them)")
            : null;
    }

    /// <summary>Why the cross-references an event's operations name cannot be looked up (a NUL in one), or null.</summary>
    public static string? Unstorable(IEnumerable<CrossReferences.XrefPlaceholder> placeholders)
    {
        ArgumentNullException.ThrowIfNull(placeholders);
        return placeholders.FirstOrDefault(p => Nul(p.System) || Nul(p.Type) || Nul(p.SourceId)) is { } found
            ? Reason($"the cross-reference {Escape(found.System)} {Escape(found.Type)} {Escape(found.SourceId)} an operation names")
            : null;
    }

    /// <summary>A text with each NUL character written as <c>\u0000</c>, so the store keeps it (null stays null).</summary>
    [return: NotNullIfNotNull(nameof(text))]
    public static string? Escape(string? text) =>
        Nul(text) ? text.Replace("\0", "\\u0000", StringComparison.Ordinal) : text;

    /// <summary>True when <paramref name="text"/> holds a NUL character, which PostgreSQL's text cannot keep.</summary>
    public static bool Nul([NotNullWhen(true)] string? text) => text is not null && text.Contains('\0', StringComparison.Ordinal);

    private static string Reason(string what) =>
        $"{what} holds a NUL character (\\u0000), which the store cannot keep as text: the event cannot be routed; correct the record at its source, whose next change comes as a new event";
}
