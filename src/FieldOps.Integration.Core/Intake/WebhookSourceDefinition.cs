namespace FieldOps.Integration.Core.Intake;

/// <summary>Presets that a source kind implies, applied over what the admin configured.</summary>
public static class WebhookSourceDefinition
{
    /// <summary>Jobber's header: base64 HMAC-SHA256 of the raw body, keyed with the app's client secret.</summary>
    public const string JobberSignatureHeader = "X-Jobber-Hmac-SHA256";

    /// <summary>The signature scheme in effect for <paramref name="source"/>: Jobber's exactly, else as configured.</summary>
    public static SignatureOptions EffectiveSignature(SourceOptions source)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (!string.Equals(source.Kind, SourceKinds.Jobber, StringComparison.OrdinalIgnoreCase))
            return source.Signature;
        return new SignatureOptions
        {
            Algorithm = SignatureAlgorithm.HmacSha256,
            Header = JobberSignatureHeader,
            Encoding = SignatureEncoding.Base64,
            Prefix = null,
            TimestampHeader = null,
            SignedContent = SignedContent.Body,
        };
    }

    /// <summary>The content types a source of this kind may post.</summary>
    public static bool AcceptsContentType(SourceOptions source, string mediaType)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (string.Equals(mediaType, "application/json", StringComparison.OrdinalIgnoreCase))
            return true;
        // Jobber apps created before 2022-04-11 post form-encoded bodies.
        return string.Equals(source.Kind, SourceKinds.Jobber, StringComparison.OrdinalIgnoreCase)
            && string.Equals(mediaType, "application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase);
    }
}
