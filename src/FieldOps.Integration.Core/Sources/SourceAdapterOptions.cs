namespace FieldOps.Integration.Core.Sources;

/// <summary>
/// What a source adapter needs of one source (<c>Sources:{name}</c>, beside the intake keys): its API's credentials
/// and its polling. <c>ApiBaseUrl</c> is read from the intake's <see cref="Intake.SourceOptions"/>.
/// </summary>
public sealed class SourceAdapterOptions
{
    /// <summary>The OAuth client id of our app at the source.</summary>
    public string? ClientId { get; set; }

    /// <summary>
    /// A refresh token that seeds the credentials store on first use (<c>Sources__{name}__RefreshToken</c>, from the
    /// environment). Rotated tokens are kept in the store, encrypted. Never logged.
    /// </summary>
    public string? RefreshToken { get; set; }

    /// <summary>The source's token URL when it is not the adapter's default under <c>ApiBaseUrl</c>.</summary>
    public Uri? TokenUrl { get; set; }

    /// <summary>
    /// The API version the adapter asks for (Jobber: the required <c>X-JOBBER-GRAPHQL-VERSION</c> header).
    /// <value>The default value is none: the adapter's own default.</value>
    /// </summary>
    public string? ApiVersion { get; set; }

    /// <summary>Polling, when the source has no webhooks or needs a catch-up sweep.</summary>
    public SourcePollOptions Poll { get; set; } = new();

    /// <summary>Redacts the refresh token.</summary>
    public override string ToString() => $"SourceAdapter(ClientId={ClientId}, Poll={Poll.Adapter})";
}
