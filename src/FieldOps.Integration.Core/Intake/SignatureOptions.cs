namespace FieldOps.Integration.Core.Intake;

/// <summary>A source's signature scheme (<c>Sources:{name}:Signature</c>). A source kind may impose its own (<see cref="IWebhookSourceKind.Signature"/>).</summary>
public sealed class SignatureOptions
{
    /// <summary>The HMAC. <value>The default value is <see cref="SignatureAlgorithm.HmacSha256"/>.</value></summary>
    public SignatureAlgorithm Algorithm { get; set; } = SignatureAlgorithm.HmacSha256;

    /// <summary>The header carrying the signature, e.g. <c>X-Signature</c>. Required unless the algorithm is None.</summary>
    public string? Header { get; set; }

    /// <summary>How the digest is written. <value>The default value is <see cref="SignatureEncoding.Hex"/>.</value></summary>
    public SignatureEncoding Encoding { get; set; } = SignatureEncoding.Hex;

    /// <summary>A prefix before the digest in the header, e.g. <c>sha256=</c>. <value>The default value is none.</value></summary>
    public string? Prefix { get; set; }

    /// <summary>A header with the send time (Unix seconds or ISO 8601), for replay protection. <value>The default value is none.</value></summary>
    public string? TimestampHeader { get; set; }

    /// <summary>How far the timestamp may be from our clock. <value>The default value is 5 minutes.</value></summary>
    public TimeSpan TimestampTolerance { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>What the HMAC covers. <value>The default value is <see cref="SignedContent.Body"/>.</value></summary>
    public SignedContent SignedContent { get; set; } = SignedContent.Body;
}
