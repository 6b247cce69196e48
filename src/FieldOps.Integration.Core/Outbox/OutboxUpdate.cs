using FieldOps.Integration.Core.Connectors;
namespace FieldOps.Integration.Core.Outbox;

/// <summary>What the dispatcher writes back for a claimed row; the store applies it only while the lease is ours.</summary>
public sealed record OutboxUpdate
{
    /// <summary>The row.</summary>
    public required string Id { get; init; }

    /// <summary>The new state (<see cref="OutboxStates"/>).</summary>
    public required string State { get; init; }

    /// <summary>Attempts counted so far (unchanged when the call was not an attempt).</summary>
    public required int Attempts { get; init; }

    /// <summary>When the first attempt started.</summary>
    public DateTimeOffset? FirstAttemptAt { get; init; }

    /// <summary>When the row is due again (pending rows).</summary>
    public DateTimeOffset? NextAttemptAt { get; init; }

    /// <summary>The last outcome class.</summary>
    public OutcomeKind? LastOutcome { get; init; }

    /// <summary>The last error text.</summary>
    public string? LastError { get; init; }

    /// <summary>
    /// No call was made (the row goes back unsent): the row keeps the last outcome and error it had, which still say
    /// why it is being retried, instead of <see cref="LastOutcome"/> and <see cref="LastError"/>.
    /// </summary>
    public bool KeepLastOutcome { get; init; }

    /// <summary>Why the row was dead-lettered: outcome class, the target's text, the flow and the source file.</summary>
    public string? DeadReason { get; init; }

    /// <summary>The target's id for a delivered row.</summary>
    public string? TargetId { get; init; }

    /// <summary>A cross-reference to save with a delivered row, in the same transaction.</summary>
    public (string System, string ObjectType, string SourceId, string TargetId)? CrossReference { get; init; }

    /// <summary>Since when an <c>$xref</c> placeholder is unresolved.</summary>
    public DateTimeOffset? XrefWaitSince { get; init; }

    /// <summary>The calls made, for the attempts history.</summary>
    public IReadOnlyList<AttemptRecord> AttemptRecords { get; init; } = [];
}
