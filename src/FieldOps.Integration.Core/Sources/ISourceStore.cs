using FieldOps.Integration.Core.Hydration;
using FieldOps.Integration.Core.Inbox;

namespace FieldOps.Integration.Core.Sources;

/// <summary>Watermarks, run status and hydration results.</summary>
public interface ISourceStore
{
    /// <summary>The source's watermark row, or null before its first run.</summary>
    Task<SourceWatermark?> GetWatermarkAsync(string source, CancellationToken cancellationToken);

    /// <summary>Every source's watermark row.</summary>
    Task<IReadOnlyList<SourceWatermark>> ListWatermarksAsync(CancellationToken cancellationToken);

    /// <summary>Records a run's end: success (<paramref name="error"/> null) or its error.</summary>
    Task RecordRunAsync(string source, DateTimeOffset at, string? error, CancellationToken cancellationToken);

    /// <summary>
    /// Records a hydration fetch's end for the source: success (<paramref name="error"/> null, which clears the last
    /// hydration error) or its error. Kept beside the poll status, for readiness and <c>fieldops sources</c>.
    /// </summary>
    Task RecordHydrationAsync(string source, DateTimeOffset at, string? error, CancellationToken cancellationToken);

    /// <summary>Sets the watermark back (or forward) to <paramref name="to"/> and drops any open sweep: the next run replays from there.</summary>
    Task RewindAsync(string source, DateTimeOffset to, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>Events of <paramref name="sources"/> the router marked awaiting hydration, after <paramref name="afterId"/>, oldest first.</summary>
    Task<IReadOnlyList<InboxEvent>> ListAwaitingHydrationAsync(IReadOnlyCollection<string> sources, long afterId, int limit, CancellationToken cancellationToken);

    /// <summary>
    /// Stores the hydrated payloads and hands the events back to the router (<c>new</c>), except those whose version is
    /// older than one already accepted, or the same version and topic again: those become <c>stale</c>. One
    /// transaction; an event no longer awaiting hydration is left alone.
    /// </summary>
    Task<IReadOnlyList<HydrationVerdict>> CompleteHydrationAsync(HydrationCommit commit, CancellationToken cancellationToken);

    /// <summary>Marks events still awaiting hydration unmatched with <paramref name="reason"/>: an admin re-routes them to try again.</summary>
    Task MarkHydrationFailedAsync(IReadOnlyList<long> eventIds, string reason, CancellationToken cancellationToken);
}
