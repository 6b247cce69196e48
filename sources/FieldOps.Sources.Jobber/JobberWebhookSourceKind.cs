using System.Text;
using System.Text.Json;
using System.Web;
using FieldOps.Integration.Core.Intake;

namespace FieldOps.Sources.Jobber;

/// <summary>
/// The <c>jobber</c> webhook kind: Jobber's signature exactly (base64 HMAC-SHA256 of the raw body in
/// <c>X-Jobber-Hmac-SHA256</c>, keyed with the app's client secret), JSON or — for apps created before 2022-04-11 —
/// form-encoded bodies, and the dedup key <c>jobber:{account}:{topic}:{item}:{occurredAt}</c>.
/// </summary>
public sealed class JobberWebhookSourceKind : JsonWebhookSourceKind
{
    /// <summary>The kind's name (<c>Sources:{name}:Kind</c>).</summary>
    public const string Kind = "jobber";

    /// <summary>Jobber's signature header.</summary>
    public const string SignatureHeader = "X-Jobber-Hmac-SHA256";

    private const string FormMediaType = "application/x-www-form-urlencoded";

    // Jobber does not document the form layout: these fields first, then any field that holds a JSON object.
    private static readonly string[] PreferredFields = ["payload", "data", "body", "json", "webhook"];

    public override SignatureOptions Signature(SignatureOptions configured) => new()
    {
        Algorithm = SignatureAlgorithm.HmacSha256,
        Header = SignatureHeader,
        Encoding = SignatureEncoding.Base64,
        Prefix = null,
        TimestampHeader = null,
        SignedContent = SignedContent.Body,
    };

    public override bool AcceptsContentType(string mediaType) =>
        base.AcceptsContentType(mediaType) || string.Equals(mediaType, FormMediaType, StringComparison.OrdinalIgnoreCase);

    public override (JsonDocument Document, string? Payload) ReadPayload(string mediaType, ReadOnlyMemory<byte> body)
    {
        if (!string.Equals(mediaType, FormMediaType, StringComparison.OrdinalIgnoreCase))
            return base.ReadPayload(mediaType, body);
        var json = FindJsonField(Encoding.UTF8.GetString(body.Span));
        return (ParseJson(Encoding.UTF8.GetBytes(json)), json);
    }

    public override string? DedupKey(JsonElement document) => JobberWebhook.Read(document).DedupKey;

    private static string FindJsonField(string form)
    {
        var fields = HttpUtility.ParseQueryString(form);
        var names = fields.AllKeys.OfType<string>().ToList();
        foreach (var name in PreferredFields.Concat(names))
        {
            if (fields[name]?.TrimStart() is ['{', ..] candidate)
                return candidate;
        }
        throw new WebhookRejectedException(400, "malformed form body",
            $"No form field holds a JSON document ({names.Count} fields, e.g. {string.Join(", ", names.Take(5))}).");
    }
}
