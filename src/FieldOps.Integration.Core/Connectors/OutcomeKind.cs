namespace FieldOps.Integration.Core.Connectors;

/// <summary>How one delivery attempt ended, as the connector classified it (DESIGN.md, "Outcomes").</summary>
public enum OutcomeKind
{
    /// <summary>The target applied the operation; <see cref="DeliveryOutcome.TargetId"/> names the record.</summary>
    Delivered,

    /// <summary>A passing fault (5xx, timeout, network, lock): retry with backoff, honouring the retry-after if given.</summary>
    Transient,

    /// <summary>The target asked us to slow down: wait as told; the wait is not an attempt the admin should worry about.</summary>
    Throttled,

    /// <summary>The access token expired: refresh it once and retry at once.</summary>
    AuthExpired,

    /// <summary>The target's copy changed under us (stale version, lock): re-read and retry, bounded.</summary>
    Conflict,

    /// <summary>The target refused the operation for good (validation, reference data): dead-letter with its text.</summary>
    Permanent,

    /// <summary>The connection itself is broken (revoked grant, bad client): keep the operation queued and alert.</summary>
    ConnectionBroken,

    /// <summary>
    /// A non-idempotent call may have reached the target and its answer was lost (timeout, connection closed after the
    /// request was written, a truncated answer, a 5xx that does not mean "not applied"): the row stays in flight and the
    /// next attempt asks the connector's effect check first; never sent again blindly.
    /// </summary>
    OutcomeUnknown,

    /// <summary>
    /// The target took the write but its result disagrees with the source (an invoice total that is not the job's):
    /// dead-letter at once naming both figures, keep the target's id, and hold what follows on the partition.
    /// </summary>
    Business,

    /// <summary>
    /// The target's own setup contradicts this service's configuration (another home currency, another tax setup):
    /// nothing was written; dead-letter at once naming both values, so the admin fixes one side and replays.
    /// </summary>
    Configuration,
}
