namespace FieldOps.Integration.Core.Operations;

/// <summary>What a re-route of one inbox event found, per operation, and whether it was written.</summary>
/// <param name="InboxEventId">The event.</param>
/// <param name="EventState">The event's state before the re-route.</param>
/// <param name="Result">How mapping it with the current files ended.</param>
/// <param name="Reason">Why it is parked, unmatched, missing or in conflict.</param>
/// <param name="Changes">One entry per operation, in flow order, then operations the mappings no longer produce.</param>
/// <param name="Applied">True when new rows were written (never for a dry run).</param>
public sealed record ReroutePlan(
    long InboxEventId, string? EventState, RerouteResult Result, string? Reason, IReadOnlyList<RerouteChange> Changes, bool Applied)
{
    /// <summary>How many operations would get (or got) a new row.</summary>
    public int NewCount => Changes.Count(c => c.Status == RerouteStatus.New);
}

/// <summary>How mapping the event with the current files ended.</summary>
public enum RerouteResult
{
    /// <summary>The mappings produced operations (possibly none new).</summary>
    Routed,

    /// <summary>A mapping still fails: the event stays parked, with the reason.</summary>
    Parked,

    /// <summary>No flow selects the event.</summary>
    Unmatched,

    /// <summary>There is no such inbox event.</summary>
    NotFound,

    /// <summary>
    /// The event cannot be re-routed now (not routed yet, a row changed meanwhile, no mappings loaded), or must not be: a
    /// newer change of its record was accepted since, and the rows it would add would overwrite that change's.
    /// </summary>
    Conflict,
}

/// <summary>One operation of a re-route.</summary>
/// <param name="Flow">The flow.</param>
/// <param name="OperationKey">The operation's key within the flow.</param>
/// <param name="Status">What the re-route does with it.</param>
/// <param name="NewRowId">The row the current mappings give it (written when <see cref="RerouteStatus.New"/>).</param>
/// <param name="LastRowId">The latest existing row for the same flow and operation key, if any.</param>
/// <param name="LastRowState">That row's state.</param>
/// <param name="Diff">Fields that differ from the last row (target, keys and payload).</param>
public sealed record RerouteChange(
    string Flow, string OperationKey, RerouteStatus Status, string? NewRowId, string? LastRowId, string? LastRowState, IReadOnlyList<FieldChange> Diff);

/// <summary>What a re-route does with one operation.</summary>
public enum RerouteStatus
{
    /// <summary>A new row is written (replacing the last undelivered one, if any).</summary>
    New,

    /// <summary>The current mappings give the same row or the same content: nothing to write (replay a dead one instead).</summary>
    Unchanged,

    /// <summary>A row for this operation was delivered already: left alone.</summary>
    AlreadyDelivered,

    /// <summary>A worker holds the last row right now: left alone; re-route again after it settles.</summary>
    InProgress,

    /// <summary>The current mappings no longer produce this operation: its rows are left as they are.</summary>
    NoLongerProduced,
}

/// <summary>One field that differs, by JSON path, with both values as JSON text (null: absent).</summary>
public sealed record FieldChange(string Path, string? Before, string? After);
