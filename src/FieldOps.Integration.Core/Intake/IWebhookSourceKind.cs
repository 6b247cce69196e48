using System.Text.Json;

namespace FieldOps.Integration.Core.Intake;

/// <summary>
/// What a kind of webhook source (<c>Sources:{name}:Kind</c>) decides at intake, before the event is stored. A source's
/// own project registers one with <see cref="IntakeServiceCollectionExtensions.AddWebhookSourceKind{TKind}"/> under its
/// kind name; the secret, body limit and kept headers stay configuration. Derive from <see cref="JsonWebhookSourceKind"/>
/// to change only what differs from a JSON webhook signed as configured.
/// </summary>
public interface IWebhookSourceKind
{
    /// <summary>The signature scheme in effect: a preset the kind imposes, or <paramref name="configured"/>.</summary>
    SignatureOptions Signature(SignatureOptions configured);

    /// <summary>Whether a delivery with this media type (no parameters, e.g. <c>application/json</c>) is accepted.</summary>
    bool AcceptsContentType(string mediaType);

    /// <summary>
    /// Parses the delivery: the JSON document, and its text when that differs from the body (else null).
    /// Throws <see cref="WebhookRejectedException"/> (400) saying what is wrong.
    /// </summary>
    (JsonDocument Document, string? Payload) ReadPayload(string mediaType, ReadOnlyMemory<byte> body);

    /// <summary>
    /// The dedup key the kind reads from the document, or null to use the source's <c>Dedup</c> settings (header,
    /// JSON Pointers, else the body's SHA-256). Throws <see cref="WebhookRejectedException"/> (400) when it is missing.
    /// </summary>
    string? DedupKey(JsonElement document);
}
