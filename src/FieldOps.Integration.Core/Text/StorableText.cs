using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;
using System.Text.Json;
using FieldOps.Integration.Core.Routing;
using FieldOps.Integration.Core.Outbox;

namespace FieldOps.Integration.Core.Text;

/// <summary>
/// What is written or looked up as text must be text every store keeps: PostgreSQL's text cannot hold a NUL
/// character (U+0000), not even as a query's parameter, and Npgsql refuses to send a UTF-16 surrogate without its pair.
/// A payload is JSON, where both are escapes; but the keys and ids a mapping computes from an event, the
/// cross-references it looks up and a reason that quotes a value are text as they are — with a NUL, the routing commit
/// failed at every try (22021), and the router, claiming the oldest new events first, took that event again and again.
/// So an event holding a NUL anywhere is parked before it is mapped, naming where (a lone surrogate in a payload is
/// mended to U+FFFD before it is mapped, <see cref="JsonSurrogates"/>); the cross-references its operations name are
/// checked before they are looked up, and the operations before they are written (a JSONata escape or a read made while
/// mapping can bring either).
/// </summary>
internal static class StorableText
{
    /// <summary>Why the event cannot be routed — the path of the first string or key of its payload holding a NUL — or null.</summary>
    public static string? InPayload(string json)
    {
        // In JSON text a NUL is always escaped (a raw control character is not JSON): most payloads end here.
        if (!json.Contains("\\u0000", StringComparison.Ordinal))
            return null;
        using var document = JsonDocument.Parse(JsonSurrogates.Mend(json));
        return Find(document.RootElement, "") is { } path ? Reason($"the event's payload at '{(path.Length == 0 ? "/" : path)}'", "\0") : null;
    }

    private static string? Find(JsonElement element, string path)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    var at = $"{path}/{Escape(property.Name)}";
                    if (Unfit(property.Name))
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
                return Unfit(element.GetString()) ? path : null;
            default:
                return null;
        }
    }

    /// <summary>
    /// Why the event cannot be stored as mapped — naming the first text, written as it is, that holds a character the
    /// store cannot keep — or null when every one can.
    /// </summary>
    public static string? Unstorable(IReadOnlyList<NewOutboxRow> rows, EntityVersionClaim? version)
    {
        foreach (var row in rows)
        {
            var (field, text) = Unfit(row.IdempotencyKey) ? ("idempotency key", row.IdempotencyKey)
                : Unfit(row.PartitionKey) ? ("partition key", row.PartitionKey)
                : Unfit(row.ObjectType) ? ("object type", row.ObjectType)
                : Unfit(row.XrefSourceId) ? ("cross-reference source id", row.XrefSourceId)
                : Unfit(row.Connection) ? ("connection, connector or operation", row.Connection)
                : Unfit(row.Connector) ? ("connection, connector or operation", row.Connector)
                : Unfit(row.Operation) ? ("connection, connector or operation", row.Operation)
                : ((string?)null, (string?)null);
            if (field is not null)
                return Reason($"the {field} of flow {row.Flow}, operation {row.OperationKey}", text!);
        }
        if (version is null)
            return null;
        var unfit = new[] { version.EntityType, version.EntityId, version.Topic }.FirstOrDefault(Unfit);
        return unfit is null ? null : Reason("the record's entity type, id or topic (its version is recorded under them)", unfit);
    }

    /// <summary>Why the cross-references an event's operations name cannot be looked up (a text the store cannot keep in one), or null.</summary>
    public static string? Unstorable(IEnumerable<CrossReferences.XrefPlaceholder> placeholders)
    {
        ArgumentNullException.ThrowIfNull(placeholders);
        return placeholders.FirstOrDefault(p => Unfit(p.System) || Unfit(p.Type) || Unfit(p.SourceId)) is { } found
            ? Reason($"the cross-reference {Escape(found.System)} {Escape(found.Type)} {Escape(found.SourceId)} an operation names",
                new[] { found.System, found.Type, found.SourceId }.First(Unfit))
            : null;
    }

    /// <summary>
    /// A text with each character the store cannot keep written as its JSON escape — a NUL as <c>\u0000</c>, a surrogate
    /// without its pair as e.g. <c>\ud83d</c> — so the store keeps it (null stays null).
    /// </summary>
    [return: NotNullIfNotNull(nameof(text))]
    public static string? Escape(string? text)
    {
        if (!Unfit(text))
            return text;
        var escaped = new StringBuilder(text.Length + 10);
        for (var i = 0; i < text.Length; i++)
        {
            if (UnfitAt(text, i))
                escaped.Append("\\u").Append(((int)text[i]).ToString("x4", CultureInfo.InvariantCulture));
            else
                escaped.Append(text[i]);
        }
        return escaped.ToString();
    }

    /// <summary>
    /// True when <paramref name="text"/> holds a character PostgreSQL's text cannot keep: a NUL (22021), or a UTF-16
    /// surrogate without its pair, which is no character at all (Npgsql refuses to encode it, and SQLite would write it
    /// as U+FFFD). A vendor's JSON can bring either as an escape; a cut at a length can make the second.
    /// </summary>
    public static bool Unfit([NotNullWhen(true)] string? text) => text is not null && FirstUnfit(text) >= 0;

    private static int FirstUnfit(string text)
    {
        var nul = text.IndexOf('\0', StringComparison.Ordinal);
        var surrogate = text.AsSpan().IndexOfAnyInRange('\uD800', '\uDFFF');
        if (surrogate < 0)
            return nul;
        var at = nul >= 0 ? Math.Min(nul, surrogate) : surrogate;
        for (var i = at; i < text.Length; i++)
        {
            if (UnfitAt(text, i))
                return i;
            if (char.IsHighSurrogate(text[i]))
                i++; // its pair, checked by UnfitAt
        }
        return -1;
    }

    private static bool UnfitAt(string text, int i) => text[i] switch
    {
        '\0' => true,
        var c when char.IsHighSurrogate(c) => i + 1 >= text.Length || !char.IsLowSurrogate(text[i + 1]),
        var c when char.IsLowSurrogate(c) => i == 0 || !char.IsHighSurrogate(text[i - 1]),
        _ => false,
    };

    /// <summary>What the first character of <paramref name="text"/> the store cannot keep is, as a message names it.</summary>
    public static string What(string text) =>
        FirstUnfit(text) is var at && at >= 0 && text[at] != '\0'
            ? $"a UTF-16 surrogate without its pair (\\u{(int)text[at]:x4}: half of a character, e.g. an emoji cut in two)"
            : "a NUL character (\\u0000)";

    private static string Reason(string what, string text) =>
        $"{what} holds {What(text)}, which the store cannot keep as text: the event cannot be routed; correct the record at its source, whose next change comes as a new event";
}
