using FieldOps.Integration.Core.Connectors;
namespace FieldOps.Integration.Core.Outbox;

/// <summary>An outbox row this worker holds a lease on, with the bookkeeping the dispatcher needs.</summary>
public sealed record ClaimedOperation
{
    /// <summary>The operation, with <see cref="OutboundOperation.Attempt"/> set to the attempt this claim would be.</summary>
    public required OutboundOperation Operation { get; init; }

    /// <summary>The row's place in the FIFO order.</summary>
    public required long Seq { get; init; }

    /// <summary><see cref="OutboxStates.Pending"/>, or <see cref="OutboxStates.InFlight"/> when a crash interrupted a call.</summary>
    public required string State { get; init; }

    /// <summary>Attempts recorded so far.</summary>
    public required int Attempts { get; init; }

    /// <summary>When the first attempt started, if there was one.</summary>
    public DateTimeOffset? FirstAttemptAt { get; init; }

    /// <summary>When the dispatcher first found an unresolved <c>$xref</c> in the payload.</summary>
    public DateTimeOffset? XrefWaitSince { get; init; }

    /// <summary>When the router wrote the row.</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>The inbox event the row was routed from: every log line of the delivery carries it.</summary>
    public long InboxEventId { get; init; }

    /// <summary>The mapping file the row came from, for dead letters.</summary>
    public string? SourceFile { get; init; }

    /// <summary>The W3C <c>traceparent</c> stored with the row: each delivery attempt is a span of that trace.</summary>
    public string? TraceParent { get; init; }
}
