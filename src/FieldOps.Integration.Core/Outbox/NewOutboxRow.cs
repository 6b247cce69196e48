
namespace FieldOps.Integration.Core.Outbox;

/// <summary>One target operation the router writes to the outbox (columns of the <c>outbox</c> table).</summary>
public sealed record NewOutboxRow
{
    /// <summary>The inbox event id, then hash(inbox event id, flow, operation key, mapping revision); see <see cref="OutboxRowKey"/>.</summary>
    public required string Id { get; init; }

    public required long InboxEventId { get; init; }

    public required string Flow { get; init; }

    /// <summary>The operation's name within its flow.</summary>
    public required string OperationKey { get; init; }

    public required string MappingRevision { get; init; }

    public required string Connector { get; init; }

    public string Connection { get; init; } = "default";

    public required string Operation { get; init; }

    public required string ObjectType { get; init; }

    public required string IdempotencyKey { get; init; }

    public required string PartitionKey { get; init; }

    /// <summary>
    /// The JSON text to store, <c>{"fields": {...}, "params": {...}}</c>; may hold
    /// <see cref="CrossReferences.XrefPlaceholder"/> objects. Serialised once by the router; parsed once when claimed.
    /// </summary>
    public required string Payload { get; init; }

    public string? XrefSourceId { get; init; }

    /// <summary>The mapping file the operation came from, for dead letters.</summary>
    public string? SourceFile { get; init; }

    /// <summary>The W3C <c>traceparent</c> of the span that planned it: every delivery attempt continues that trace.</summary>
    public string? TraceParent { get; init; }
}
