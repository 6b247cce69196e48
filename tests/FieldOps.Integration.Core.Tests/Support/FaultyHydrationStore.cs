using FieldOps.Integration.Core.Hydration;
using FieldOps.Integration.Core.Inbox;

namespace FieldOps.Integration.Core.Tests.Support;

/// <summary>The real hydration store, except that the calls <see cref="Faults"/> names throw (by the call's number, from 1).</summary>
internal sealed class FaultyHydrationStore(IHydrationStore inner, FaultyHydrationStore.Faults faults) : IHydrationStore
{
    public sealed class Faults
    {
        private readonly List<DateTimeOffset> _completeTimes = [];
        private int _listed;
        private int _completes;

        public Func<int, Exception?> ListUnregistered { get; set; } = _ => null;

        public Func<int, Exception?> Complete { get; set; } = _ => null;

        /// <summary>How many write-backs of a fetched record were tried.</summary>
        public int Completes => Volatile.Read(ref _completes);

        /// <summary>When each write-back was tried.</summary>
        public IReadOnlyList<DateTimeOffset> CompleteTimes
        {
            get
            {
                lock (_completeTimes)
                    return [.. _completeTimes];
            }
        }

        internal Exception? Listed() => ListUnregistered(Interlocked.Increment(ref _listed));

        internal Exception? Completed()
        {
            lock (_completeTimes)
                _completeTimes.Add(TimeProvider.System.GetUtcNow());
            return Complete(Interlocked.Increment(ref _completes));
        }
    }

    public Task<IReadOnlyList<InboxEvent>> ListUnregisteredAsync(IReadOnlyCollection<string> sources, int limit, CancellationToken cancellationToken) =>
        faults.Listed() is { } fault ? throw fault : inner.ListUnregisteredAsync(sources, limit, cancellationToken);

    public Task<int> RegisterAsync(IReadOnlyList<HydrationRegistration> events, HydrationWindow window, DateTimeOffset now, CancellationToken cancellationToken) =>
        inner.RegisterAsync(events, window, now, cancellationToken);

    public Task<IReadOnlyList<HydrationClaim>> ClaimAsync(
        IReadOnlyCollection<string> sources, int max, string owner, DateTimeOffset now, TimeSpan lease, CancellationToken cancellationToken) =>
        inner.ClaimAsync(sources, max, owner, now, lease, cancellationToken);

    public Task<IReadOnlyList<ClaimedEvent>> ListEventsAsync(HydrationClaim claim, CancellationToken cancellationToken) =>
        inner.ListEventsAsync(claim, cancellationToken);

    public Task<IReadOnlyList<HydrationVerdict>> CompleteAsync(HydrationClaim claim, HydrationCommit commit, HydrationWindow window, CancellationToken cancellationToken) =>
        faults.Completed() is { } fault ? throw fault : inner.CompleteAsync(claim, commit, window, cancellationToken);

    public Task ReleaseAsync(HydrationClaim claim, HydrationRelease release, HydrationWindow window, CancellationToken cancellationToken) =>
        inner.ReleaseAsync(claim, release, window, cancellationToken);

    public Task<int> RenewAsync(string owner, IReadOnlyCollection<string> entityKeys, DateTimeOffset now, TimeSpan lease, CancellationToken cancellationToken) =>
        inner.RenewAsync(owner, entityKeys, now, lease, cancellationToken);

    public Task ReleaseAllAsync(string owner, CancellationToken cancellationToken) => inner.ReleaseAllAsync(owner, cancellationToken);

    public Task PauseSourceAsync(string source, DateTimeOffset until, CancellationToken cancellationToken) =>
        inner.PauseSourceAsync(source, until, cancellationToken);

    public Task<DateTimeOffset?> GetSourcePauseAsync(string source, CancellationToken cancellationToken) =>
        inner.GetSourcePauseAsync(source, cancellationToken);
}
