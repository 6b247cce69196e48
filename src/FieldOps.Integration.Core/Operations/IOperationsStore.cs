using FieldOps.Integration.Core.Outbox;

namespace FieldOps.Integration.Core.Operations;

/// <summary>
/// The operator's side of the store: dead letters listed, grouped and acted on, an event's whole life, the re-route
/// write, and the cheap figures <c>/metrics</c> reads at scrape time. Every action is recorded in the row's history.
/// </summary>
public interface IOperationsStore
{
    /// <summary>Dead letters matching <paramref name="filter"/>, newest first, below <paramref name="beforeSeq"/> when given.</summary>
    Task<IReadOnlyList<DeadLetter>> ListDeadLettersAsync(DeadLetterFilter filter, int limit, long? beforeSeq, CancellationToken cancellationToken);

    /// <summary>Dead letters matching <paramref name="filter"/>, grouped by connector, flow and outcome class.</summary>
    Task<IReadOnlyList<DeadLetterGroup>> GroupDeadLettersAsync(DeadLetterFilter filter, CancellationToken cancellationToken);

    /// <summary>
    /// For each filter (a group), the reason of its most recently dead-lettered row, or null when none matches: one index
    /// seek per group on one connection.
    /// </summary>
    Task<IReadOnlyList<string?>> NewestDeadReasonsAsync(IReadOnlyList<DeadLetterFilter> filters, CancellationToken cancellationToken);

    /// <summary>One outbox row, or null.</summary>
    Task<OperationRow?> GetOperationAsync(string id, CancellationToken cancellationToken);

    /// <summary>The event's inbox record, operations, attempts and actions; null when there is no such event.</summary>
    Task<EventLife?> GetEventLifeAsync(long inboxEventId, CancellationToken cancellationToken);

    /// <summary>
    /// The newest events (at most <paramref name="max"/>) that <paramref name="term"/> names: a field-service entity id the
    /// event was about, the id a target assigned to one of its operations, or the source id of its cross-reference.
    /// </summary>
    Task<IReadOnlyList<long>> FindEventIdsAsync(string term, int max, CancellationToken cancellationToken);

    /// <summary>
    /// Puts the dead letters <paramref name="ids"/> back in the queue and releases the rows they blocked; returns how many.
    /// With <paramref name="audit"/>, each transaction (one per chunk of a bulk replay) writes its audit entry itself.
    /// </summary>
    Task<int> ReplayAsync(IReadOnlyCollection<string> ids, string? note, CancellationToken cancellationToken, ActionAudit? audit = null);

    /// <summary>The ids of up to <paramref name="max"/> dead letters matching <paramref name="filter"/>, oldest first.</summary>
    Task<IReadOnlyList<string>> FindDeadLetterIdsAsync(DeadLetterFilter filter, int max, CancellationToken cancellationToken);

    /// <summary>Gives up on a dead or blocked row with the operator's reason and releases the rows behind it.</summary>
    /// With <paramref name="audit"/>, the same transaction writes the audit entry.
    Task<bool> DiscardAsync(string id, string reason, CancellationToken cancellationToken, ActionAudit? audit = null);

    /// <summary>
    /// Writes a re-route in one transaction: each superseded row discarded (its place in the order handed to the row
    /// replacing it), the new rows inserted, released successors, and the event marked routed — or parked with
    /// <paramref name="parkedReason"/> when some of its flows still fail. Returns the rows written; throws
    /// <see cref="InvalidOperationException"/> when a superseded row changed meanwhile, or when a row would go to the
    /// end of its key's order (it replaces none, or one of another partition key) while a newer version of the event's
    /// entity was accepted from another event (see <see cref="FindNewerVersionAsync"/>; <paramref name="version"/>) —
    /// nothing written either way.
    /// </summary>
    Task<int> CommitRerouteAsync(
        long inboxEventId, IReadOnlyList<ReroutedRow> rows, CancellationToken cancellationToken, string? parkedReason = null, RerouteVersion? version = null);

    /// <summary>
    /// Why a re-route must not add rows at the end of their keys' order — a newer version of the event's entity was
    /// accepted from another event, whose rows would then be overwritten by this older change — or null. The event's
    /// entity is the one the version ledger recorded for it (hydrated or polled under the source's own names, or routed)
    /// and the one <paramref name="version"/> claims (its envelope's).
    /// </summary>
    Task<string?> FindNewerVersionAsync(long inboxEventId, RerouteVersion version, CancellationToken cancellationToken);

    /// <summary>Rows waiting per connector and the oldest one's creation time.</summary>
    Task<IReadOnlyList<BacklogEntry>> GetBacklogAsync(CancellationToken cancellationToken);

    /// <summary>Delivery attempts since <paramref name="since"/> per connector, in slices of <paramref name="slice"/> (empty slices left out).</summary>
    Task<IReadOnlyList<ThroughputBucket>> GetThroughputAsync(DateTimeOffset since, TimeSpan slice, CancellationToken cancellationToken);

    /// <summary>Inbox events per source (those retention has not pruned) and the newest one's arrival.</summary>
    Task<IReadOnlyList<SourceIntake>> CountIntakeAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Dead and blocked rows per connector and state; only the blocked ones with <paramref name="blockedOnly"/> (for a caller
    /// that already has the dead counts from <see cref="GroupDeadLettersAsync"/>, so the dead rows are not counted twice).
    /// </summary>
    Task<IReadOnlyList<StateCount>> CountHeldAsync(CancellationToken cancellationToken, bool blockedOnly = false);

    /// <summary>Every stored connection's token expiry and broken mark.</summary>
    Task<IReadOnlyList<TokenState>> ListTokenStatesAsync(CancellationToken cancellationToken);
}

/// <summary>A row a re-route writes, and the row it replaces (null for an operation never written before).</summary>
public sealed record ReroutedRow(NewOutboxRow Row, string? Supersedes);

/// <summary>
/// What a re-route checks against the version ledger: the event's source, and the version its canonical envelope
/// claims (null: none), checked besides what the ledger recorded for the event.
/// </summary>
public sealed record RerouteVersion(string Source, Routing.EntityVersionClaim? Claim);
