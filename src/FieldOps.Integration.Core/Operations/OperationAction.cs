namespace FieldOps.Integration.Core.Operations;

/// <summary>Something an operator did to an outbox row, with the state and reason it had before.</summary>
/// <param name="OutboxId">The row.</param>
/// <param name="Action">One of <see cref="OperationActions"/>.</param>
/// <param name="At">When.</param>
/// <param name="PreviousState">The row's state before.</param>
/// <param name="PreviousReason">Its dead-letter reason before (kept: a replay clears it on the row).</param>
/// <param name="AttemptsBefore">Its attempt count before (a replay resets it).</param>
/// <param name="Note">The operator's reason, or what replaced the row.</param>
/// <param name="RelatedId">The other row of a re-route.</param>
public sealed record OperationAction(
    string OutboxId, string Action, DateTimeOffset At, string PreviousState, string? PreviousReason, int AttemptsBefore, string? Note, string? RelatedId);
