namespace FieldOps.Integration.Core.Inbox;

/// <summary>The outcome of committing an event to the inbox.</summary>
/// <param name="EventId">The stored event's id; for a duplicate, the first delivery's id.</param>
/// <param name="IsDuplicate">True when an event with the same source and dedup key was already stored.</param>
public readonly record struct InboxAppendResult(long EventId, bool IsDuplicate);
