using FieldOps.Integration.Core.Outbox;
using Microsoft.Extensions.Logging;

namespace FieldOps.Integration.Core.Routing;

// What the router logs of each event it handles.
public sealed partial class MappingRouter
{
    /// <summary>Each row as <c>connector operation objectType operation {id}</c>, so one grep for the event finds its operations.</summary>
    private static string Describe(IReadOnlyList<NewOutboxRow> rows) =>
        rows.Count == 0 ? "none" : string.Join("; ", rows.Select(r => $"{r.Flow}: {r.Connector} {r.Operation} {r.ObjectType} operation {r.Id}"));

    [LoggerMessage(Level = LogLevel.Information, Message = "Routed event {InboxEventId}: {OperationCount} operations, {NewRows} new outbox rows ({OutboxMessageIds})")]
    private partial void LogRouted(long inboxEventId, int operationCount, int newRows, string outboxMessageIds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Event {InboxEventId} not routed: {Reason}")]
    private partial void LogStale(long inboxEventId, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Event {InboxEventId} unmatched: {Reason}")]
    private partial void LogUnmatched(long inboxEventId, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Event {InboxEventId} awaits hydration: {Reason}")]
    private partial void LogAwaitingHydration(long inboxEventId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Event {InboxEventId} waits to read again: {Reason}")]
    private partial void LogAwaitingEnrichment(long inboxEventId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Event {InboxEventId} parked: {Reason}")]
    private partial void LogParked(long inboxEventId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Routing commit of {Count} events failed on their data ({Fault}: {Detail}); committing each alone")]
    private partial void LogCommittingEachAlone(int count, string fault, string detail, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Routing commit of event {InboxEventId} failed on its own data; parking it")]
    private partial void LogCommitRefused(long inboxEventId, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Event {InboxEventId} left as it is: it is no longer new (this router's claim ran out while it mapped, and another router took the event)")]
    private partial void LogNoLongerNew(long inboxEventId);
}
