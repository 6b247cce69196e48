using FieldOps.Integration.Core.Inbox;

namespace FieldOps.Integration.Storage.Inbox;

/// <summary>An inbox row as Dapper reads it.</summary>
internal sealed class InboxRow
{
    public long Id { get; set; }
    public string Source { get; set; } = "";
    public string DedupKey { get; set; } = "";
    public long ReceivedAt { get; set; }
    public string? ContentType { get; set; }
    public string Headers { get; set; } = "{}";
    public byte[] Body { get; set; } = [];
    public string? Payload { get; set; }
    public string State { get; set; } = "";
    public string? StateReason { get; set; }
    public string? TraceParent { get; set; }

    public const string Columns =
        "id AS Id, source AS Source, dedup_key AS DedupKey, received_at AS ReceivedAt, content_type AS ContentType, " +
        "headers AS Headers, body AS Body, payload AS Payload, state AS State, state_reason AS StateReason, trace_parent AS TraceParent";

    public InboxEvent ToEvent() => new()
    {
        Id = Id,
        Source = Source,
        DedupKey = DedupKey,
        ReceivedAt = DateTimeOffset.FromUnixTimeMilliseconds(ReceivedAt),
        ContentType = ContentType,
        Headers = Headers,
        Body = Body,
        Payload = Payload,
        State = State,
        StateReason = StateReason,
        TraceParent = TraceParent,
    };
}
