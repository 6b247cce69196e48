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
}
