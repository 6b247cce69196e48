namespace FieldOps.Integration.Core.Operations;

/// <summary>One dead-lettered operation as the list shows it.</summary>
/// <param name="Id">The outbox row.</param>
/// <param name="Seq">Its place in the outbox order (the list's cursor).</param>
/// <param name="InboxEventId">The event it came from.</param>
/// <param name="Flow">The flow and <paramref name="OperationKey"/> that produced it.</param>
/// <param name="OperationKey">The operation's key within the flow.</param>
/// <param name="Connector">The target connector.</param>
/// <param name="Operation">The generic operation (<c>upsert</c>, <c>create</c>, …).</param>
/// <param name="ObjectType">The target object type.</param>
/// <param name="PartitionKey">The ordering key; rows behind it on this key are blocked.</param>
/// <param name="ErrorClass">The outcome class that dead-lettered it.</param>
/// <param name="Reason">The whole reason: class, the target's own text, flow, mapping file, attempts.</param>
/// <param name="Attempts">Attempts made.</param>
/// <param name="DeadAt">When it was dead-lettered.</param>
/// <param name="SourceFile">The mapping file the operation came from.</param>
public sealed record DeadLetter(
    string Id, long Seq, long InboxEventId, string Flow, string OperationKey, string Connector, string Operation, string ObjectType,
    string PartitionKey, string? ErrorClass, string? Reason, int Attempts, DateTimeOffset? DeadAt, string? SourceFile);
