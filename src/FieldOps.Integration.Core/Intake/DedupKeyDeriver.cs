using System.Security.Cryptography;
using System.Text.Json;

namespace FieldOps.Integration.Core.Intake;

/// <summary>Derives the key that makes a redelivery a duplicate.</summary>
internal static class DedupKeyDeriver
{
    /// <summary>
    /// The dedup key of a delivery: the one its <paramref name="kind"/> reads from the document, else the configured
    /// header or JSON Pointers, else the SHA-256 of the raw body. Throws <see cref="WebhookRejectedException"/> (400)
    /// when the configured parts are missing.
    /// </summary>
    public static string Derive(
        SourceOptions source, IWebhookSourceKind kind, Func<string, string?> header, ReadOnlySpan<byte> body, JsonElement? document) =>
        Storable(DeriveAny(source, kind, header, body, document), "The delivery's dedup key");

    /// <summary>
    /// The key itself, or a <see cref="WebhookRejectedException"/> (400) when it holds a NUL character (U+0000, from a
    /// JSON <c>\u0000</c>): PostgreSQL's text cannot hold one, so the event's every commit would fail and its sender hear
    /// 503 at each retry, for ever. (A JSON kind's <c>ParseJson</c> refuses a NUL anywhere in the body already; this
    /// covers a key from a header or a kind's own reader.)
    /// </summary>
    public static string Storable(string key, string what) =>
        key.Contains('\0', StringComparison.Ordinal)
            ? throw new WebhookRejectedException(400, "invalid text",
                $"{what} ('{Printable(key)}') holds a NUL character (\\u0000), which the store cannot keep; the fields it is read from must not hold one.")
            : key;

    private static string Printable(string key)
    {
        var shown = key.Replace("\0", "\\u0000", StringComparison.Ordinal);
        return shown.Length <= 80 ? shown : shown[..80] + "…";
    }

    private static string DeriveAny(
        SourceOptions source, IWebhookSourceKind kind, Func<string, string?> header, ReadOnlySpan<byte> body, JsonElement? document)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(kind);
        ArgumentNullException.ThrowIfNull(header);
        if (document is { } parsed && kind.DedupKey(parsed) is { } kindKey)
            return kindKey;
        if (source.Dedup.Header is { Length: > 0 } name)
        {
            return header(name) is { Length: > 0 } value
                ? value
                : throw new WebhookRejectedException(400, "missing dedup header", $"The header {name} is required by Sources dedup settings.");
        }
        if (source.Dedup.JsonPointers.Count > 0 && document is { } root)
            return DedupKeyParts.Join(source.Dedup.JsonPointers.Select(p => Resolve(root, p)).ToList());
        return Convert.ToHexStringLower(SHA256.HashData(body));
    }

    private static string Resolve(JsonElement root, string pointer)
    {
        var current = root;
        foreach (var rawPart in pointer.Split('/').Skip(1))
        {
            var part = rawPart.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);
            var found = current.ValueKind switch
            {
                JsonValueKind.Object when current.TryGetProperty(part, out var child) => child,
                JsonValueKind.Array when int.TryParse(part, out var index) && index >= 0 && index < current.GetArrayLength() => current[index],
                _ => (JsonElement?)null,
            };
            current = found ?? throw new WebhookRejectedException(400, "missing dedup field", $"The body has nothing at {pointer}.");
        }
        return current.ValueKind == JsonValueKind.String ? current.GetString()! : current.GetRawText();
    }
}
