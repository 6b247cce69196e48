using System.Text;
using System.Text.Json;
using FieldOps.Integration.Core.Intake;
using Microsoft.Extensions.Options;

namespace FieldOps.Sources.HubSpot;

/// <summary>
/// The <c>hubspot</c> webhook kind: HubSpot's v3 signature over method, URI, body and timestamp
/// (<see cref="HubSpotSignatureV3"/>, keyed with the app's client secret in <c>Sources:{name}:Secret</c>), and each
/// element of the posted array stored as its own inbox event (<see cref="HubSpotWebhookBatch"/>).
/// </summary>
public sealed class HubSpotWebhookSourceKind(IOptionsMonitor<HubSpotSourcesOptions> hubspot, TimeProvider time) : JsonWebhookSourceKind
{
    /// <summary>The kind's name (<c>Sources:{name}:Kind</c>).</summary>
    public const string Kind = "hubspot";

    /// <summary>The scheme as the validator sees it: a secret is required, the headers are HubSpot's.</summary>
    public override SignatureOptions Signature(SignatureOptions configured) => new()
    {
        Algorithm = SignatureAlgorithm.HmacSha256,
        Header = HubSpotSignatureV3.SignatureHeader,
        Encoding = SignatureEncoding.Base64,
        TimestampHeader = HubSpotSignatureV3.TimestampHeader,
        TimestampTolerance = HubSpotSignatureV3.DefaultTolerance,
    };

    public override string? Authenticate(WebhookDelivery delivery, SourceOptions source, WebhookSignatureVerifier verifier)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        ArgumentNullException.ThrowIfNull(source);
        var options = hubspot.CurrentValue.GetValueOrDefault(delivery.Source);
        // Behind a proxy the URI we see is not the one HubSpot signed: the configured public URL wins.
        var uri = options?.PublicUrl?.OriginalString ?? delivery.RequestUri;
        if (uri is null)
            return "the request URI is unknown (set Sources:{name}:PublicUrl)";
        var check = HubSpotSignatureV3.Verify(source.Secret ?? "", delivery.Method, uri, delivery.Body.Span,
            delivery.Header(HubSpotSignatureV3.TimestampHeader), delivery.Header(HubSpotSignatureV3.SignatureHeader), time.GetUtcNow(),
            options?.TimestampTolerance ?? HubSpotSignatureV3.DefaultTolerance);
        return check switch
        {
            HubSpotSignatureCheck.Valid => null,
            HubSpotSignatureCheck.Missing => $"missing {HubSpotSignatureV3.SignatureHeader} or {HubSpotSignatureV3.TimestampHeader} header",
            HubSpotSignatureCheck.BadTimestamp => $"unreadable {HubSpotSignatureV3.TimestampHeader} header",
            HubSpotSignatureCheck.Stale => "timestamp outside the tolerance",
            _ => "signature mismatch",
        };
    }

    public override IReadOnlyList<WebhookBatchEvent>? SplitBatch(JsonElement document)
    {
        try
        {
            return HubSpotWebhookBatch.Split(Encoding.UTF8.GetBytes(document.GetRawText()))
                .Select(e => new WebhookBatchEvent(e.DedupKey, e.Json))
                .ToList();
        }
        catch (JsonException ex)
        {
            throw new WebhookRejectedException(400, "malformed HubSpot batch", ex.Message);
        }
    }
}
