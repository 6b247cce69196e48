using FieldOps.Integration.Core.Inbox;
using FieldOps.Integration.Core.Tests.Mapping;
using FieldOps.Integration.Storage.Tests.Infrastructure;

namespace FieldOps.Integration.Core.Tests.Routing;

/// <summary>
/// A NUL character (U+0000) the router would write or look up as text: PostgreSQL's text cannot hold it, so the routing
/// commit failed at every try (22021) and the router took the same oldest events again and again, routing nothing after
/// them. Such an event is parked instead, naming where the NUL is, and the next event routes — on every provider.
/// </summary>
public sealed class RouterUnstorableTextTests
{
    private static readonly string Customer = RouterHarness.Sample("canonical-customer-upserted.json");

    [Fact]
    public async Task RouteBatch_NulInThePayload_ParksTheEventNamingWhereAndTheNextRoutes() =>
        await NulInThePayloadAsync(await RouterHarness.StartAsync());

    [PostgresFact]
    public async Task RouteBatch_NulInThePayload_ParksTheEventNamingWhereAndTheNextRoutesOnPostgres() =>
        await NulInThePayloadAsync(await RouterHarness.StartAsync(new PostgresTestDatabase()));

    [Fact]
    public async Task RouteBatch_NulThatAMappingWritesIntoAKey_ParksTheEventNamingTheOperation() =>
        await NulFromTheMappingAsync(await RouterHarness.StartAsync(MappingWithANulKey()), "the idempotency key of flow customer-salesforce, operation");

    [PostgresFact]
    public async Task RouteBatch_NulThatAMappingWritesIntoAKey_ParksTheEventNamingTheOperationOnPostgres() =>
        await NulFromTheMappingAsync(
            await RouterHarness.StartAsync(new PostgresTestDatabase(), MappingWithANulKey()), "the idempotency key of flow customer-salesforce, operation");

    [Fact]
    public async Task RouteBatch_NulInACrossReferenceAMappingNames_ParksTheEventBeforeLookingItUp() =>
        await NulFromTheMappingAsync(await RouterHarness.StartAsync(MappingWithANulCrossReference()), "the cross-reference salesforce Account x\\u0000");

    [PostgresFact]
    public async Task RouteBatch_NulInACrossReferenceAMappingNames_ParksTheEventBeforeLookingItUpOnPostgres() =>
        await NulFromTheMappingAsync(
            await RouterHarness.StartAsync(new PostgresTestDatabase(), MappingWithANulCrossReference()), "the cross-reference salesforce Account x\\u0000");

    // The shipped customer-hubspot flow keys the contact by the customer's e-mail.
    private static async Task NulInThePayloadAsync(RouterHarness harness)
    {
        await using var _ = harness;
        var bad = await harness.AppendAsync("fsm", Customer.Replace("\"Orders@Bluebird.example\"", "\"Orders\\u0000@Bluebird.example\"", StringComparison.Ordinal));
        var good = await harness.AppendAsync("fsm", Customer.Replace("C-42", "C-43", StringComparison.Ordinal));

        await harness.Router.RouteBatchAsync(CancellationToken.None);

        var (state, reason) = await harness.StateAsync(bad);
        Assert.Equal(InboxEventState.Parked, state);
        Assert.StartsWith("the event's payload at '/entity/emails/0' holds a NUL character (\\u0000)", reason, StringComparison.Ordinal);
        Assert.Empty(await harness.OutboxAsync(bad));
        Assert.Equal(InboxEventState.Routed, (await harness.StateAsync(good)).State);
        Assert.NotEmpty(await harness.OutboxAsync(good));
    }

    // A JSONata string may write a NUL itself (an escape in the expression): the operations are checked as well.
    private static MappingFolder MappingWithANulKey()
    {
        var mappings = new MappingFolder();
        var flow = mappings.Read("flows/customer-salesforce.yaml");
        var keyed = flow.Replace("idempotencyKey: entity.id", "idempotencyKey: \"'sf\\\\u0000' & entity.id\"", StringComparison.Ordinal);
        Assert.NotEqual(flow, keyed);
        mappings.Write("flows/customer-salesforce.yaml", keyed);
        return mappings;
    }

    // A cross-reference looked up while routing: on PostgreSQL a NUL fails even the lookup's parameter (22021).
    private static MappingFolder MappingWithANulCrossReference()
    {
        var mappings = new MappingFolder();
        var flow = mappings.Read("flows/customer-salesforce.yaml");
        var named = flow.Replace("Name: entity.displayName", "Name: \"$xref('salesforce', 'Account', 'x\\\\u0000')\"", StringComparison.Ordinal);
        Assert.NotEqual(flow, named);
        mappings.Write("flows/customer-salesforce.yaml", named);
        return mappings;
    }

    private static async Task NulFromTheMappingAsync(RouterHarness harness, string reasonStart)
    {
        await using var _ = harness;
        var bad = await harness.AppendAsync("fsm", Customer);

        await harness.Router.RouteBatchAsync(CancellationToken.None);

        var (state, reason) = await harness.StateAsync(bad);
        Assert.Equal(InboxEventState.Parked, state);
        Assert.StartsWith(reasonStart, reason, StringComparison.Ordinal);
        Assert.Contains("holds a NUL character (\\u0000)", reason, StringComparison.Ordinal);
        Assert.Empty(await harness.OutboxAsync(bad));
    }
}
