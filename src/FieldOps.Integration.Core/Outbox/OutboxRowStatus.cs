namespace FieldOps.Integration.Core.Outbox;

/// <summary>What an operator (or a test) sees of one outbox row.</summary>
public sealed record OutboxRowStatus(
    string Id, string State, int Attempts, string? LastOutcome, string? LastError, string? DeadReason, string? TargetId,
    DateTimeOffset NextAttemptAt, DateTimeOffset? CompletedAt);
