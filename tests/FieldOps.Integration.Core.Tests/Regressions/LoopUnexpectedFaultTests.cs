using FieldOps.Integration.Core.Hydration;
using FieldOps.Integration.Core.Inbox;
using FieldOps.Integration.Core.Intake;
using FieldOps.Integration.Core.Outbox;
using FieldOps.Integration.Core.Routing;
using FieldOps.Integration.Core.Storage;
using FieldOps.Integration.Core.Tests.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace FieldOps.Integration.Core.Tests.Regressions;

/// <summary>
/// A loop caught only the faults it took for an outage; anything else (an <see cref="InvalidOperationException"/> or an
/// <see cref="ArgumentException"/> from a driver, an <c>EncoderFallbackException</c> from Npgsql) escaped it. Escaping the
/// router's background service it stopped the host (exit 1), and the restarted service met the same event again; escaping
/// the lease renewal it ended the renewals, so every lease lapsed under the calls still running. Each loop now logs such a
/// fault as unexpected, backs off and carries on.
/// </summary>
public sealed class LoopUnexpectedFaultTests
{
    [Fact]
    public async Task RouterService_AFaultThatIsNoOutage_IsWaitedOutAndTheEventsRouteAfterIt()
    {
        await using var harness = await RouterHarness.StartAsync();
        var store = new ParkFailsOnce(harness.Routing);
        var router = new MappingRouter(harness.Inbox, store, harness.CrossReferences, harness.Catalog,
            new RecordHydrators(new ServiceCollection().BuildServiceProvider()),
            new FixedOptionsMonitor<SourcesOptions>(new SourcesOptions { ["jobber-main"] = new SourceOptions { Kind = "jobber" } }),
            Microsoft.Extensions.Options.Options.Create(harness.Options), TimeProvider.System, NullLogger<MappingRouter>.Instance);
        var broken = await harness.AppendAsync("jobber-main", "{ not json");
        var next = await harness.AppendAsync("jobber-main", RouterHarness.Sample("jobber-job-closed.json"));
        using var service = new MappingRouterService(router, Microsoft.Extensions.Options.Options.Create(harness.Options), TimeProvider.System,
            NullLogger<MappingRouterService>.Instance);

        await service.StartAsync(CancellationToken.None);
        try
        {
            var deadline = TimeProvider.System.GetUtcNow() + TimeSpan.FromSeconds(20);
            while ((await harness.StateAsync(next)).State != InboxEventState.Routed && !service.ExecuteTask!.IsCompleted
                && TimeProvider.System.GetUtcNow() < deadline)
                await Task.Delay(50);
            Assert.False(service.ExecuteTask!.IsCompleted, $"The router's service ended: {service.ExecuteTask.Exception?.GetBaseException().Message}");
        }
        finally
        {
            await service.StopAsync(CancellationToken.None);
        }

        Assert.Equal(1, store.Failures);
        Assert.Equal(InboxEventState.Parked, (await harness.StateAsync(broken)).State);
        Assert.Equal(InboxEventState.Routed, (await harness.StateAsync(next)).State);
        Assert.False(service.ExecuteTask!.IsFaulted); // cancelled by the stop, as a clean shutdown is
    }

    [Fact]
    public async Task LeaseRenewal_ARenewalFailsWithAFaultThatIsNoOutage_RenewsAgainAtTheNextTick()
    {
        var renewals = 0;
        using var stop = new CancellationTokenSource();
        var renewing = LeaseRenewal.RunAsync((_, _) =>
        {
            if (Interlocked.Increment(ref renewals) == 1)
                throw new ArgumentException("a driver refused a parameter (test)");
            return Task.FromResult(1);
        }, TimeSpan.FromMilliseconds(150), TimeProvider.System, NullLogger.Instance, stop.Token);

        var deadline = TimeProvider.System.GetUtcNow() + TimeSpan.FromSeconds(10);
        while (Volatile.Read(ref renewals) < 3 && !renewing.IsCompleted && TimeProvider.System.GetUtcNow() < deadline)
            await Task.Delay(20);
        Assert.False(renewing.IsCompleted, $"The renewal loop ended: {renewing.Exception?.GetBaseException().Message}");
        await stop.CancelAsync();
        await renewing;

        Assert.True(Volatile.Read(ref renewals) >= 3);
    }

    /// <summary>The real routing store, except that the first park fails with a fault that is no outage.</summary>
    private sealed class ParkFailsOnce(IRoutingStore inner) : IRoutingStore
    {
        private int _parks;

        public int Failures { get; private set; }

        public Task<int> CommitRoutedAsync(long inboxEventId, IReadOnlyList<NewOutboxRow> rows, CancellationToken cancellationToken) =>
            inner.CommitRoutedAsync(inboxEventId, rows, cancellationToken);

        public Task<VersionedRoutingResult> CommitRoutedAsync(
            long inboxEventId, IReadOnlyList<NewOutboxRow> rows, EntityVersionClaim version, CancellationToken cancellationToken) =>
            inner.CommitRoutedAsync(inboxEventId, rows, version, cancellationToken);

        public Task<IReadOnlyList<VersionedRoutingResult>> CommitRoutedBatchAsync(IReadOnlyList<RoutedEvent> events, CancellationToken cancellationToken) =>
            inner.CommitRoutedBatchAsync(events, cancellationToken);

        public Task<bool> MarkParkedAsync(long inboxEventId, string reason, CancellationToken cancellationToken)
        {
            if (Interlocked.Increment(ref _parks) > 1)
                return inner.MarkParkedAsync(inboxEventId, reason, cancellationToken);
            Failures++;
            throw new InvalidOperationException("the driver failed unexpectedly (test)");
        }

        public Task<bool> MarkUnmatchedAsync(long inboxEventId, string reason, CancellationToken cancellationToken) =>
            inner.MarkUnmatchedAsync(inboxEventId, reason, cancellationToken);

        public Task<bool> MarkAwaitingHydrationAsync(long inboxEventId, string reason, CancellationToken cancellationToken) =>
            inner.MarkAwaitingHydrationAsync(inboxEventId, reason, cancellationToken);
    }
}
