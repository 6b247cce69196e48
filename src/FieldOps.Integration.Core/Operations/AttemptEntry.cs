using FieldOps.Integration.Core.Outbox;

namespace FieldOps.Integration.Core.Operations;

/// <summary>One attempt of one outbox row.</summary>
public sealed record AttemptEntry(string OutboxId, AttemptRecord Attempt);
