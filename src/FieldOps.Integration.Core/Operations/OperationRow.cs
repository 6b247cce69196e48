namespace FieldOps.Integration.Core.Operations;

/// <summary>One outbox row with everything an operator may need to judge it.</summary>
public sealed record OperationRow
{
    public required string Id { get; init; }

    public required long Seq { get; init; }

    public required long InboxEventId { get; init; }

    public required string Flow { get; init; }

    public required string OperationKey { get; init; }

    public required string MappingRevision { get; init; }

    public required string Connector { get; init; }

    public required string Connection { get; init; }

    public required string Operation { get; init; }

    public required string ObjectType { get; init; }

    public required string IdempotencyKey { get; init; }

    public required string PartitionKey { get; init; }

    /// <summary>The payload JSON as stored.</summary>
    public required string Payload { get; init; }

    public string? XrefSourceId { get; init; }

    public string? SourceFile { get; init; }

    /// <summary>One of <see cref="Outbox.OutboxStates"/>.</summary>
    public required string State { get; init; }

    public required int Attempts { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset? CompletedAt { get; init; }

    public string? LastOutcome { get; init; }

    public string? LastError { get; init; }

    public string? DeadReason { get; init; }

    public string? TargetId { get; init; }

    /// <summary>True while a worker holds an unexpired lease on it.</summary>
    public bool IsLeased { get; init; }

    /// <summary>The row this one replaces (a re-route), if any.</summary>
    public string? ReplayOf { get; init; }

    /// <summary>The W3C <c>traceparent</c> its delivery attempts continue (the event's trace), if tracing was on.</summary>
    public string? TraceParent { get; init; }
}
