using Dapper;
using FieldOps.Integration.Core.Hydration;
using FieldOps.Integration.Core.Inbox;
using FieldOps.Integration.Core.Intake;
using FieldOps.Integration.Core.Outbox;
using FieldOps.Integration.Core.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace FieldOps.Integration.Core.Tests.Routing;

/// <summary>
/// The router maps several events at the same time (<c>Mappings:MappingThreads</c>, issue 15) and still commits them
/// in their order. Seen through the flows' enrich reads: the reader answers only once two reads are in flight together.
/// </summary>
public sealed class RouterMappingThreadsTests
{
    [Fact]
    public async Task RouteBatch_TwoMappingThreads_TwoEventsAreMappedAtOnce_AndTheirRowsAreCommittedInTheEventsOrder()
    {
        await using var harness = await RouterHarness.StartAsync();
        harness.Options.MappingThreads = 2;
        harness.SalesforceReader.AnswerWhenTogether(2);
        var visit = RouterHarness.Sample("jobber-visit-create.json");
        var first = await harness.AppendAsync("jobber-main", visit);
        var second = await harness.AppendAsync("jobber-main", visit.Replace("Z2lkOi8vSm9iYmVyL1Zpc2l0Lzc3MDE=", "Z2lkOi8vSm9iYmVyL1Zpc2l0Lzc3MDI=", StringComparison.Ordinal));

        Assert.Equal(2, await harness.Router.RouteBatchAsync(CancellationToken.None));

        Assert.Equal(2, harness.SalesforceReader.MostAtOnce);
        Assert.Equal(InboxEventState.Routed, (await harness.StateAsync(first)).State);
        Assert.Equal(InboxEventState.Routed, (await harness.StateAsync(second)).State);
        await using var connection = await harness.Connections.OpenAsync(CancellationToken.None);
        var order = (await connection.QueryAsync<long>("SELECT inbox_event_id FROM outbox ORDER BY seq")).ToList();
        Assert.NotEmpty(order);
        Assert.Equal([.. order.Where(id => id == first), .. order.Where(id => id == second)], order);
    }

    [Fact]
    public async Task RouteBatch_OneMappingThread_MapsOneEventAtATime()
    {
        await using var harness = await RouterHarness.StartAsync();
        harness.Options.MappingThreads = 1;
        var visit = RouterHarness.Sample("jobber-visit-create.json");
        await harness.AppendAsync("jobber-main", visit);
        await harness.AppendAsync("jobber-main", visit.Replace("Z2lkOi8vSm9iYmVyL1Zpc2l0Lzc3MDE=", "Z2lkOi8vSm9iYmVyL1Zpc2l0Lzc3MDI=", StringComparison.Ordinal));

        Assert.Equal(2, await harness.Router.RouteBatchAsync(CancellationToken.None));

        Assert.Equal(2, harness.SalesforceReader.Reads.Count);
        Assert.Equal(1, harness.SalesforceReader.MostAtOnce);
    }

    [Fact]
    public async Task RouteBatch_TheStoreFailsWhileAMappingThreadParksAnEvent_TheBatchThrowsWithoutHanging_AndWhatCameBeforeIsCommitted()
    {
        await using var harness = await RouterHarness.StartAsync();
        harness.Options.MappingThreads = 2;
        harness.Options.CommitGroupSize = 1;
        var router = new MappingRouter(harness.Inbox, new FailingParkStore(harness.Routing), harness.CrossReferences, harness.Catalog,
            new RecordHydrators(new ServiceCollection().BuildServiceProvider()),
            new FixedOptionsMonitor<SourcesOptions>(new SourcesOptions { ["jobber-main"] = new SourceOptions { Kind = "jobber" } }),
            Microsoft.Extensions.Options.Options.Create(harness.Options), TimeProvider.System, NullLogger<MappingRouter>.Instance);
        var jobClosed = RouterHarness.Sample("jobber-job-closed.json");
        var before = await harness.AppendAsync("jobber-main", jobClosed);
        var broken = await harness.AppendAsync("jobber-main", "{ not json");
        var after = await harness.AppendAsync("jobber-main", jobClosed.Replace("Z2lkOi8vSm9iYmVyL0pvYi80MjQy", "Z2lkOi8vSm9iYmVyL0pvYi80MjQz", StringComparison.Ordinal));

        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => router.RouteBatchAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30)));

        Assert.Equal(FailingParkStore.Message, failure.Message);
        Assert.Equal(InboxEventState.Routed, (await harness.StateAsync(before)).State);
        Assert.Equal(InboxEventState.New, (await harness.StateAsync(broken)).State);
        Assert.Equal(InboxEventState.New, (await harness.StateAsync(after)).State);
        Assert.Empty(await harness.OutboxAsync(after));
    }

    /// <summary>The real routing store, except that parking an event fails as a store fault would.</summary>
    private sealed class FailingParkStore(IRoutingStore inner) : IRoutingStore
    {
        public const string Message = "the store is unavailable (test)";

        public Task<int> CommitRoutedAsync(long inboxEventId, IReadOnlyList<NewOutboxRow> rows, CancellationToken cancellationToken) =>
            inner.CommitRoutedAsync(inboxEventId, rows, cancellationToken);

        public Task<VersionedRoutingResult> CommitRoutedAsync(
            long inboxEventId, IReadOnlyList<NewOutboxRow> rows, EntityVersionClaim version, CancellationToken cancellationToken) =>
            inner.CommitRoutedAsync(inboxEventId, rows, version, cancellationToken);

        public Task<IReadOnlyList<VersionedRoutingResult>> CommitRoutedBatchAsync(IReadOnlyList<RoutedEvent> events, CancellationToken cancellationToken) =>
            inner.CommitRoutedBatchAsync(events, cancellationToken);

        public Task<bool> MarkParkedAsync(long inboxEventId, string reason, CancellationToken cancellationToken) =>
            throw new InvalidOperationException(Message);

        public Task<bool> MarkUnmatchedAsync(long inboxEventId, string reason, CancellationToken cancellationToken) =>
            inner.MarkUnmatchedAsync(inboxEventId, reason, cancellationToken);

        public Task<bool> MarkAwaitingHydrationAsync(long inboxEventId, string reason, CancellationToken cancellationToken) =>
            inner.MarkAwaitingHydrationAsync(inboxEventId, reason, cancellationToken);
    }
}
