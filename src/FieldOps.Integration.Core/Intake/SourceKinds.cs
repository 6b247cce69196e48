namespace FieldOps.Integration.Core.Intake;

/// <summary>
/// The webhook source kinds Core itself provides (<c>Sources:{name}:Kind</c>); sources' own projects add theirs
/// (<c>jobber</c>) with <see cref="IntakeServiceCollectionExtensions.AddWebhookSourceKind{TKind}"/>.
/// </summary>
public static class SourceKinds
{
    /// <summary>Any product that signs its JSON webhooks with an HMAC; the scheme is configured.</summary>
    public const string Hmac = "hmac";

    /// <summary>A product (or script) posting our canonical event JSON directly, HMAC-signed as configured.</summary>
    public const string Canonical = "canonical";
}
