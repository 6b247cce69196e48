using System.Text.Json;

namespace FieldOps.Integration.Core.Intake;

/// <summary>
/// A source kind that is only polled (e.g. <c>salesforce</c>, <c>bamboohr</c>): a valid <c>Sources:{name}:Kind</c> that
/// needs no signing secret, whose <c>/webhooks/{name}</c> answers 404. Register it from the source's project with
/// <see cref="IntakeServiceCollectionExtensions.AddWebhookSourceKind{TKind}"/>.
/// </summary>
public sealed class PolledSourceKind : IWebhookSourceKind
{
    public bool AcceptsWebhooks => false;

    public SignatureOptions Signature(SignatureOptions configured) => new() { Algorithm = SignatureAlgorithm.None };

    public string? Authenticate(WebhookDelivery delivery, SourceOptions source, WebhookSignatureVerifier verifier) => "the source is polled";

    public bool AcceptsContentType(string mediaType) => false;

    public (JsonDocument Document, string? Payload) ReadPayload(string mediaType, ReadOnlyMemory<byte> body) =>
        throw new WebhookRejectedException(404, "unknown source", "This source is polled; it takes no webhooks.");

    public string? DedupKey(JsonElement document) => null;

    public IReadOnlyList<WebhookBatchEvent>? SplitBatch(JsonElement document) => null;
}
