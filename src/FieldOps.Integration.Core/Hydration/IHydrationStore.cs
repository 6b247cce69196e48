using FieldOps.Integration.Core.Inbox;
using FieldOps.Integration.Core.Sources;

namespace FieldOps.Integration.Core.Hydration;

/// <summary>
/// Hydration shared by every process on one database. Events awaiting hydration are registered under their entity;
/// an entity is claimed by one process at a time with a lease once its coalescing window has passed, so a burst costs
/// one fetch whichever processes received it. Attempts are counted per event, and a source's throttle pause is stored
/// with the source (<see cref="ISourcePauses"/>, shared with polls). The lease's owner is the instance id; an expired lease (its holder died) is taken over.
/// </summary>
public interface IHydrationStore : ISourcePauses
{
    /// <summary>Events of <paramref name="sources"/> awaiting hydration and not yet registered under an entity, oldest first.</summary>
    Task<IReadOnlyList<InboxEvent>> ListUnregisteredAsync(IReadOnlyCollection<string> sources, int limit, CancellationToken cancellationToken);

    /// <summary>
    /// Registers each event under its entity (unless another process did first) and moves the entity's window: due
    /// <see cref="HydrationWindow.Debounce"/> after its newest event, at most <see cref="HydrationWindow.MaxDelay"/>
    /// after its first; an entity waiting out a retry keeps its retry time. Returns how many events this call registered.
    /// </summary>
    Task<int> RegisterAsync(IReadOnlyList<HydrationRegistration> events, HydrationWindow window, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>
    /// Leases up to <paramref name="max"/> due entities of <paramref name="sources"/> to <paramref name="owner"/> until
    /// <paramref name="now"/> + <paramref name="lease"/>: unleased or lease expired, and their source not paused.
    /// Concurrent claimers never take the same entity.
    /// </summary>
    Task<IReadOnlyList<HydrationClaim>> ClaimAsync(
        IReadOnlyCollection<string> sources, int max, string owner, DateTimeOffset now, TimeSpan lease, CancellationToken cancellationToken);

    /// <summary>The claimed entity's events still awaiting hydration, oldest first, with their failed attempts so far.</summary>
    Task<IReadOnlyList<ClaimedEvent>> ListEventsAsync(HydrationClaim claim, CancellationToken cancellationToken);

    /// <summary>
    /// Stores the fetched record into the events (as <see cref="Sources.ISourceStore.CompleteHydrationAsync"/>) and ends
    /// the claim, in one transaction: events registered meanwhile wait for their own window.
    /// </summary>
    Task<IReadOnlyList<HydrationVerdict>> CompleteAsync(HydrationClaim claim, HydrationCommit commit, HydrationWindow window, CancellationToken cancellationToken);

    /// <summary>Ends the claim without a record: counts attempts, leaves events unmatched, and schedules the retry (one transaction).</summary>
    Task ReleaseAsync(HydrationClaim claim, HydrationRelease release, HydrationWindow window, CancellationToken cancellationToken);

    /// <summary>Extends <paramref name="owner"/>'s leases on <paramref name="entityKeys"/> still held at <paramref name="now"/>; returns how many.</summary>
    Task<int> RenewAsync(string owner, IReadOnlyCollection<string> entityKeys, DateTimeOffset now, TimeSpan lease, CancellationToken cancellationToken);

    /// <summary>Gives up every lease <paramref name="owner"/> holds (a clean stop): other processes claim those entities at once.</summary>
    Task ReleaseAllAsync(string owner, CancellationToken cancellationToken);
}
