using FieldOps.Integration.Core.Inbox;
using FieldOps.Integration.Storage.Tests.Infrastructure;

namespace FieldOps.Integration.Core.Tests.Routing;

/// <summary>
/// A NUL character (U+0000) that a mapping copies into a key or id the router writes as text: PostgreSQL's text cannot
/// hold it, so the routing commit failed at every try and the router took the same oldest event again and again, routing
/// nothing after it. The event is parked instead, naming the field, and the next event routes — on every provider.
/// </summary>
public sealed class RouterUnstorableTextTests
{
    [Fact]
    public async Task RouteBatch_NulInAMappedKey_ParksTheEventNamingTheFieldAndTheNextRoutes() =>
        await NulInAMappedKeyAsync(await RouterHarness.StartAsync());

    [PostgresFact]
    public async Task RouteBatch_NulInAMappedKey_ParksTheEventNamingTheFieldAndTheNextRoutesOnPostgres() =>
        await NulInAMappedKeyAsync(await RouterHarness.StartAsync(new PostgresTestDatabase()));

    [Fact]
    public async Task RouteBatch_NulInTheRecordsId_ParksTheEvent() =>
        await NulInTheRecordsIdAsync(await RouterHarness.StartAsync());

    [PostgresFact]
    public async Task RouteBatch_NulInTheRecordsId_ParksTheEventOnPostgres() =>
        await NulInTheRecordsIdAsync(await RouterHarness.StartAsync(new PostgresTestDatabase()));

    private static readonly string Customer = RouterHarness.Sample("canonical-customer-upserted.json");

    // The shipped customer-hubspot flow keys the contact by the customer's e-mail.
    private static async Task NulInAMappedKeyAsync(RouterHarness harness)
    {
        await using var _ = harness;
        var bad = await harness.AppendAsync("fsm", Customer.Replace("\"Orders@Bluebird.example\"", "\"Orders\\u0000@Bluebird.example\"", StringComparison.Ordinal));
        var good = await harness.AppendAsync("fsm", Customer.Replace("C-42", "C-43", StringComparison.Ordinal));

        await harness.Router.RouteBatchAsync(CancellationToken.None);

        var (state, reason) = await harness.StateAsync(bad);
        Assert.Equal(InboxEventState.Parked, state);
        Assert.Contains("the idempotency key of flow customer-hubspot, operation contact holds a NUL character (\\u0000)", reason, StringComparison.Ordinal);
        Assert.Empty(await harness.OutboxAsync(bad));
        Assert.Equal(InboxEventState.Routed, (await harness.StateAsync(good)).State);
        Assert.NotEmpty(await harness.OutboxAsync(good));
    }

    private static async Task NulInTheRecordsIdAsync(RouterHarness harness)
    {
        await using var _ = harness;
        var bad = await harness.AppendAsync("fsm", Customer.Replace("\"C-42\"", "\"C-\\u000042\"", StringComparison.Ordinal));

        await harness.Router.RouteBatchAsync(CancellationToken.None);

        var (state, reason) = await harness.StateAsync(bad);
        Assert.Equal(InboxEventState.Parked, state);
        Assert.Contains("holds a NUL character", reason, StringComparison.Ordinal);
        Assert.Empty(await harness.OutboxAsync(bad));
    }
}
