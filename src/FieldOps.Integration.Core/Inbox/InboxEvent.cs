using System.Text;

namespace FieldOps.Integration.Core.Inbox;

/// <summary>A stored inbox event.</summary>
public sealed record InboxEvent
{
    public required long Id { get; init; }

    public required string Source { get; init; }

    public required string DedupKey { get; init; }

    public required DateTimeOffset ReceivedAt { get; init; }

    public string? ContentType { get; init; }

    /// <summary>The kept headers as a JSON object.</summary>
    public string Headers { get; init; } = "{}";

    /// <summary>The raw body bytes exactly as received.</summary>
    public required byte[] Body { get; init; }

    /// <summary>The JSON document when it differs from the body (see <see cref="NewInboxEvent.Payload"/>).</summary>
    public string? Payload { get; init; }

    /// <summary>One of <see cref="InboxEventState"/>.</summary>
    public required string State { get; init; }

    /// <summary>Why it is parked or unmatched.</summary>
    public string? StateReason { get; init; }

    /// <summary>The W3C <c>traceparent</c> of the event's trace: every later stage continues it. Null with tracing off.</summary>
    public string? TraceParent { get; init; }

    /// <summary>The JSON document the mappings read: <see cref="Payload"/> if set, else the body as UTF-8.</summary>
    public string PayloadJson => Payload ?? Encoding.UTF8.GetString(Body);
}
