using FieldOps.Integration.Core.Outbox;

namespace FieldOps.Integration.Core.Routing;

/// <summary>
/// What the router writes as text must be text every store keeps: PostgreSQL's text cannot hold a NUL character
/// (U+0000). A payload is JSON, where a NUL is escaped; the keys and ids a mapping computes, and a reason that quotes a
/// value, are written as they are — with a NUL, the routing commit failed at every try, and the router, taking the oldest
/// new events first, took that event again and again.
/// </summary>
internal static class StorableText
{
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

    /// <summary>A reason or note with each NUL character written as <c>\u0000</c>, so the store keeps it.</summary>
    public static string Escape(string text) =>
        text.Contains('\0', StringComparison.Ordinal) ? text.Replace("\0", "\\u0000", StringComparison.Ordinal) : text;

    private static bool Nul(string? text) => text is not null && text.Contains('\0', StringComparison.Ordinal);

    private static string Reason(string what) =>
        $"{what} holds a NUL character (\\u0000), which the store cannot keep as text: correct the record at its source (or the mapping), then re-route the event";
}
