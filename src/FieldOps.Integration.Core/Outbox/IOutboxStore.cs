namespace FieldOps.Integration.Core.Outbox;

/// <summary>
/// The dispatcher's side of the outbox: lease-based claims (safe with several processes on one database), the
/// write-back of each attempt, and the operator's replay and discard of dead letters.
/// </summary>
public interface IOutboxStore
{
    /// <summary>
    /// Claims, for each connector of <paramref name="requests"/>, up to its <see cref="ClaimRequest.Max"/> due rows for
    /// <paramref name="owner"/> until <paramref name="now"/> + <paramref name="lease"/>: only the oldest not-done row of
    /// each partition key, none of the request's paused connections, and rows whose lease expired (a crashed worker's).
    /// All connectors in one transaction (one write lock taken, one commit); each connector's rows in routing order.
    /// </summary>
    Task<IReadOnlyList<ClaimedOperation>> ClaimAsync(
        IReadOnlyList<ClaimRequest> requests, string owner, DateTimeOffset now, TimeSpan lease, CancellationToken cancellationToken);

    /// <summary>
    /// Persists that a non-idempotent call is about to start (state in flight, the attempt counted). Returns false when
    /// the lease is no longer ours at <paramref name="now"/> (nothing written): another worker has the row, or may claim it
    /// during the call, and the call must not be made.
    /// </summary>
    Task<bool> MarkInFlightAsync(string id, string owner, int attempts, DateTimeOffset firstAttemptAt, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>
    /// Writes back one claimed row in one transaction: its new state, the attempts history, the cross-reference of a
    /// delivered row, and — when it is dead-lettered — the blocking of the rows behind it. Returns false when the
    /// lease was no longer ours (nothing written).
    /// </summary>
    Task<bool> UpdateAsync(OutboxUpdate update, string owner, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>
    /// Extends to <paramref name="now"/> + <paramref name="lease"/> the leases <paramref name="owner"/> still holds (not
    /// yet expired) that end within five sixths of <paramref name="lease"/>, so a call longer than one lease keeps its row;
    /// returns how many. A fresher lease is left as it is; one that expired meanwhile is not renewed: another worker may
    /// hold the row now.
    /// </summary>
    Task<int> RenewLeasesAsync(string owner, DateTimeOffset now, TimeSpan lease, CancellationToken cancellationToken);

    /// <summary>How many rows <paramref name="owner"/> holds a live lease on at <paramref name="now"/> (for health and metrics).</summary>
    Task<long> CountLeasesAsync(string owner, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Clears every lease <paramref name="owner"/> holds (graceful shutdown); returns how many.</summary>
    Task<int> ReleaseAllAsync(string owner, CancellationToken cancellationToken);

    /// <summary>Puts a dead-lettered row back in the queue (attempts reset) and releases the rows it blocked.</summary>
    Task<bool> ReplayAsync(string id, CancellationToken cancellationToken);

    /// <summary>Gives up on a dead-lettered (or blocked) row with the operator's reason and releases the rows behind it.</summary>
    Task<bool> DiscardAsync(string id, string reason, CancellationToken cancellationToken);

    /// <summary>The row as an operator sees it, or null.</summary>
    Task<OutboxRowStatus?> GetStatusAsync(string id, CancellationToken cancellationToken);

    /// <summary>The row's attempts history, oldest first.</summary>
    Task<IReadOnlyList<AttemptRecord>> GetAttemptsAsync(string id, CancellationToken cancellationToken);
}
