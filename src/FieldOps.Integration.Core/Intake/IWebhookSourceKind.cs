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
    /// <summary>False for a kind that is only polled (<see cref="PolledSourceKind"/>): its <c>/webhooks/{name}</c> answers 404.</summary>
    bool AcceptsWebhooks { get; }

    /// <summary>The signature scheme in effect: a preset the kind imposes, or <paramref name="configured"/>.</summary>
    SignatureOptions Signature(SignatureOptions configured);

    /// <summary>
    /// Checks that the delivery is authentic: null when it is, else why not (for the log; never the secret). A kind that
    /// signs only the body checks <see cref="Signature"/> with <paramref name="verifier"/>; one that signs the method and
    /// URI too (HubSpot v3) checks its own way, in constant time.
    /// </summary>
    string? Authenticate(WebhookDelivery delivery, SourceOptions source, WebhookSignatureVerifier verifier);

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

    /// <summary>
    /// The events of a delivery that carries several (HubSpot posts up to 100 in one array), each stored as its own
    /// inbox event; null when the delivery is one event. Throws <see cref="WebhookRejectedException"/> (400) when an
    /// event lacks what its dedup key needs.
    /// </summary>
    IReadOnlyList<WebhookBatchEvent>? SplitBatch(JsonElement document);
}
