using FieldOps.Integration.Core.Inbox;

namespace FieldOps.Integration.Core.Operations;

/// <summary>The whole life of one event: the inbox record, every operation it became, their attempts and the operator's actions.</summary>
public sealed record EventLife(
    InboxEvent Event, IReadOnlyList<OperationRow> Operations, IReadOnlyList<AttemptEntry> Attempts, IReadOnlyList<OperationAction> Actions);
