using System.Text.Json;

namespace FieldOps.Integration.Core.Intake;

/// <summary>
/// A JSON webhook signed as configured, deduplicated by the source's <c>Dedup</c> settings: the <c>hmac</c> and
/// <c>canonical</c> kinds, and the base of kinds that differ in a part.
/// </summary>
public class JsonWebhookSourceKind : IWebhookSourceKind
{
    /// <summary>The JSON media type every kind accepts.</summary>
    public const string JsonMediaType = "application/json";

    public virtual bool AcceptsWebhooks => true;

    public virtual SignatureOptions Signature(SignatureOptions configured) => configured;

    public virtual string? Authenticate(WebhookDelivery delivery, SourceOptions source, WebhookSignatureVerifier verifier)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(verifier);
        return verifier.Verify(Signature(source.Signature), source.Secret, delivery.Header, delivery.Body.Span);
    }

    public virtual bool AcceptsContentType(string mediaType) => string.Equals(mediaType, JsonMediaType, StringComparison.OrdinalIgnoreCase);

    public virtual (JsonDocument Document, string? Payload) ReadPayload(string mediaType, ReadOnlyMemory<byte> body) => (ParseJson(body), null);

    public virtual string? DedupKey(JsonElement document) => null;

    public virtual IReadOnlyList<WebhookBatchEvent>? SplitBatch(JsonElement document) => null;

    /// <summary>
    /// Parses JSON (depth at most 64) and applies <see cref="WebhookPayloadRules"/>; throws
    /// <see cref="WebhookRejectedException"/> (400) for invalid UTF-8, malformed JSON (with the parser's message), a
    /// duplicate key or a lone surrogate.
    /// </summary>
    protected static JsonDocument ParseJson(ReadOnlyMemory<byte> json)
    {
        if (!System.Text.Unicode.Utf8.IsValid(json.Span))
            throw new WebhookRejectedException(400, "invalid text", "The body is not valid UTF-8.");
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 64 });
        }
        catch (JsonException ex)
        {
            throw new WebhookRejectedException(400, "malformed JSON", ex.Message);
        }
        try
        {
            WebhookPayloadRules.Check(document.RootElement);
            return document;
        }
        catch
        {
            document.Dispose();
            throw;
        }
    }
}
