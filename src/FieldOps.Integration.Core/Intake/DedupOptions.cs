namespace FieldOps.Integration.Core.Intake;

/// <summary>
/// How a delivery's dedup key is derived (<c>Sources:{name}:Dedup</c>): a header, or JSON Pointers into the body
/// (values joined with <c>:</c>), or by default the SHA-256 of the raw body. A source kind may read its own key instead
/// (<see cref="IWebhookSourceKind.DedupKey"/>).
/// </summary>
public sealed class DedupOptions
{
    /// <summary>A header whose value is the sender's delivery or event id.</summary>
    public string? Header { get; set; }

    /// <summary>JSON Pointers (RFC 6901) into the body, e.g. <c>/event/id</c>.</summary>
    public List<string> JsonPointers { get; set; } = [];
}
