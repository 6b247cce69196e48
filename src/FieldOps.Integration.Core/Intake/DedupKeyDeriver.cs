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
