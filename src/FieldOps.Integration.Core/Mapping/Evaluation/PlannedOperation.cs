using System.Text.Json.Nodes;

namespace FieldOps.Integration.Core.Mapping.Evaluation;

/// <summary>One target operation a flow produced, before it becomes an outbox row.</summary>
public sealed record PlannedOperation
{
    public required string Flow { get; init; }

    /// <summary>The operation's key within its flow (<c>key</c>, or <c>key:idempotencyKey</c> for a <c>forEach</c> item).</summary>
    public required string OperationKey { get; init; }

    /// <summary>hash(flow file content, profile content): a mapping change gives new outbox row keys.</summary>
    public required string MappingRevision { get; init; }

    public required string Connector { get; init; }

    public required string Connection { get; init; }

    public required string Operation { get; init; }

    public required string ObjectType { get; init; }

    public required string IdempotencyKey { get; init; }

    public required string PartitionKey { get; init; }

    public string? XrefSourceId { get; init; }

    /// <summary><c>{"fields": {...}, "params": {...}}</c>, possibly holding <c>$xref</c> placeholders.</summary>
    public required JsonObject Payload { get; init; }

    public required string SourceFile { get; init; }

    /// <summary>The operation as the admin's tools print it and mapping tests compare it.</summary>
    public JsonObject ToJson() => new()
    {
        ["flow"] = Flow,
        ["key"] = OperationKey,
        ["connector"] = Connector,
        ["connection"] = Connection,
        ["operation"] = Operation,
        ["objectType"] = ObjectType,
        ["idempotencyKey"] = IdempotencyKey,
        ["partitionKey"] = PartitionKey,
        ["xrefSourceId"] = XrefSourceId,
        ["payload"] = Payload.DeepClone(),
    };

    /// <summary>
    /// The outbox row for this operation of inbox event <paramref name="inboxEventId"/>, keyed by <see cref="Outbox.OutboxRowKey"/>;
    /// its deliveries continue the trace of <paramref name="traceParent"/>.
    /// </summary>
    public Outbox.NewOutboxRow ToOutboxRow(long inboxEventId, string? traceParent = null) => new()
    {
        TraceParent = traceParent,
        Id = Outbox.OutboxRowKey.Compute(inboxEventId, Flow, OperationKey, MappingRevision),
        InboxEventId = inboxEventId,
        Flow = Flow,
        OperationKey = OperationKey,
        MappingRevision = MappingRevision,
        Connector = Connector,
        Connection = Connection,
        Operation = Operation,
        ObjectType = ObjectType,
        IdempotencyKey = IdempotencyKey,
        PartitionKey = PartitionKey,
        Payload = Payload.ToJsonString(),
        XrefSourceId = XrefSourceId,
        SourceFile = SourceFile,
    };
}
