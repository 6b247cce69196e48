namespace FieldOps.Integration.Core.Intake;

/// <summary>One event source (<c>Sources:{name}</c>): where webhooks for <c>POST /webhooks/{name}</c> come from.</summary>
public sealed class SourceOptions
{
    /// <summary>The kind: one of <see cref="SourceKinds"/>.</summary>
    public string Kind { get; set; } = "";

    /// <summary>
    /// The signing secret (for Jobber, the app's OAuth client secret). Set it through the environment
    /// (<c>Sources__jobber__Secret</c>), never in a file. Never logged.
    /// </summary>
    public string? Secret { get; set; }

    /// <summary>The signature scheme.</summary>
    public SignatureOptions Signature { get; set; } = new();

    /// <summary>How the dedup key is derived.</summary>
    public DedupOptions Dedup { get; set; } = new();

    /// <summary>The largest body accepted. <value>The default value is 1 MiB.</value></summary>
    public long MaxBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>Request headers kept with the event besides Content-Type and User-Agent.</summary>
    public List<string> KeepHeaders { get; set; } = [];

    /// <summary>The source's API, for fetching records back and polling. <value>The default value is none.</value></summary>
    public Uri? ApiBaseUrl { get; set; }

    /// <summary>
    /// Accept this source's webhooks without fetching the records they name (for a kind whose webhooks carry only an
    /// id, such as <c>jobber</c>): its events are stored and deduplicated but wait, unrouted, until the hydration
    /// settings are given and this is turned off. Without it, such a source missing those settings stops the start.
    /// <value>The default value is false.</value>
    /// </summary>
    public bool WebhookOnly { get; set; }

    /// <summary>Redacts the secret.</summary>
    public override string ToString() => $"Source(Kind={Kind})";
}
