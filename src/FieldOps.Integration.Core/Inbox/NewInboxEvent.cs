namespace FieldOps.Integration.Core.Inbox;

/// <summary>An event as received, before it is stored.</summary>
/// <param name="Source">The configured source name (<c>Sources:{name}</c>).</param>
/// <param name="DedupKey">The key that makes a redelivery a duplicate.</param>
/// <param name="ReceivedAt">When we received it.</param>
/// <param name="ContentType">The request's content type.</param>
/// <param name="Headers">The headers worth keeping (never the signature or credentials).</param>
/// <param name="Body">The raw body bytes exactly as received.</param>
/// <param name="Payload">The JSON document when it differs from the body (a form field holding JSON); null when the body is the JSON.</param>
public sealed record NewInboxEvent(
    string Source,
    string DedupKey,
    DateTimeOffset ReceivedAt,
    string? ContentType,
    IReadOnlyDictionary<string, string> Headers,
    ReadOnlyMemory<byte> Body,
    string? Payload = null)
{
    /// <summary>The W3C <c>traceparent</c> of the event's trace (its intake span); null with tracing off.</summary>
    public string? TraceParent { get; init; }
}
