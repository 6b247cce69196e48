using Dapper;
using FieldOps.Integration.Core.Inbox;

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
}
