using FieldOps.Integration.Core.Inbox;
using FieldOps.Integration.Core.Sources;
using FieldOps.Integration.Core.Tests.Routing;
using FieldOps.Integration.Storage.Tests.Infrastructure;

namespace FieldOps.Integration.Core.Tests.Regressions;

/// <summary>
/// A record a source's API sent with a NUL character (JSON's <c>\u0000</c>) in its id, end to end: the poll stores it
/// with the NUL written as <c>\u0000</c> in its dedup key and the version ledger's entity id (on PostgreSQL the page's
/// commit failed at every run, 22021, and the source stalled), and the router parks it, naming where, while the record
/// after it routes.
/// </summary>
public sealed class PolledNulRoutingTests
{
    private static readonly string Customer = RouterHarness.Sample("canonical-customer-upserted.json");

    private static readonly DateTimeOffset Version = new(2025, 3, 14, 18, 29, 58, TimeSpan.Zero);

    [Fact]
    public async Task AppendPolled_RecordIdHoldsANul_IsStoredAndTheRouterParksItNamingWhere() =>
        await PollAndRouteAsync(await RouterHarness.StartAsync());

    [PostgresFact]
    public async Task AppendPolled_RecordIdHoldsANul_IsStoredAndTheRouterParksItNamingWhereOnPostgres() =>
        await PollAndRouteAsync(await RouterHarness.StartAsync(new PostgresTestDatabase()));

    private static async Task PollAndRouteAsync(RouterHarness harness)
    {
        await using var _ = harness;
        // As the poll runner commits a page: made storable first, then appended with its watermark.
        var page = StorablePage.Of("fsm", new PollPage([Record("C-\0-42"), Record("C-43")], null));
        var appended = await harness.Inbox.AppendPolledAsync("fsm", page.Records, new PageCommit(null, null, Version, Version), CancellationToken.None);

        await harness.Router.RouteBatchAsync(CancellationToken.None);

        Assert.Equal(new PolledAppendResult(2, 0, 0), appended);
        var events = await harness.Inbox.ListAsync(InboxEventState.Parked, 0, 10, CancellationToken.None);
        var parked = Assert.Single(events);
        Assert.Equal("Customer:C-\\u0000-42", parked.DedupKey);
        Assert.StartsWith("the event's payload at '/entityId' holds a NUL character (\\u0000)", parked.StateReason, StringComparison.Ordinal);
        Assert.Empty(await harness.OutboxAsync(parked.Id));
        var routed = Assert.Single(await harness.Inbox.ListAsync(InboxEventState.Routed, 0, 10, CancellationToken.None));
        Assert.Equal("Customer:C-43", routed.DedupKey);
        Assert.NotEmpty(await harness.OutboxAsync(routed.Id));
    }

    // The record as a source's API sent it: the id's NUL is a JSON escape in the payload, a character in the id.
    private static PolledRecord Record(string id) => new(
        $"Customer:{id}", "Customer", id, Version, "customer.updated",
        Customer.Replace("\"C-42\"", $"\"{id.Replace("\0", "\\u0000", StringComparison.Ordinal)}\"", StringComparison.Ordinal));
}
