namespace FieldOps.Integration.Core.Intake;

/// <summary>The kinds of event source (<c>Sources:{name}:Kind</c>).</summary>
public static class SourceKinds
{
    /// <summary>Jobber: thin JSON (or, for old apps, form-encoded) webhooks signed with <c>X-Jobber-Hmac-SHA256</c>.</summary>
    public const string Jobber = "jobber";

    /// <summary>Any product that signs its JSON webhooks with an HMAC; the scheme is configured.</summary>
    public const string Hmac = "hmac";

    /// <summary>A product (or script) posting our canonical event JSON directly, HMAC-signed as configured.</summary>
    public const string Canonical = "canonical";

    /// <summary>Every kind, for validation messages.</summary>
    public static readonly IReadOnlyList<string> All = [Jobber, Hmac, Canonical];
}
