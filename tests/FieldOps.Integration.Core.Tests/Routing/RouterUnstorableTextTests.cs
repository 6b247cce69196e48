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

    [Fact]
    public async Task RouteBatch_HalfASurrogatePairInThePayload_RoutesItWithTheReplacementCharacter() =>
        await HalfASurrogatePairInThePayloadAsync(await RouterHarness.StartAsync());

    [PostgresFact]
    public async Task RouteBatch_HalfASurrogatePairInThePayload_RoutesItWithTheReplacementCharacterOnPostgres() =>
        await HalfASurrogatePairInThePayloadAsync(await RouterHarness.StartAsync(new PostgresTestDatabase()));

    [Fact]
    public async Task RouteBatch_HalfASurrogatePairThatAMappingWritesIntoAKey_ParksTheEventNamingIt() =>
        await HalfASurrogatePairFromTheMappingAsync(await RouterHarness.StartAsync(MappingWithHalfAPairInTheKey()));

    [PostgresFact]
    public async Task RouteBatch_HalfASurrogatePairThatAMappingWritesIntoAKey_ParksTheEventNamingItOnPostgres() =>
        await HalfASurrogatePairFromTheMappingAsync(await RouterHarness.StartAsync(new PostgresTestDatabase(), MappingWithHalfAPairInTheKey()));

    // A vendor that cut a text through an emoji and wrote the half as JavaScript does (an escape): valid JSON, which
    // System.Text.Json will not read as a string. The event routes, the half read as U+FFFD — in the customer's id (so
    // in the keys written as text) and in its name — and an escaped pair elsewhere stays the character it names.
    private static async Task HalfASurrogatePairInThePayloadAsync(RouterHarness harness)
    {
        await using var _ = harness;
        var customer = Customer.Replace("\"C-42\"", "\"C-\\ud83d-42\"", StringComparison.Ordinal)
            .Replace("\"Bluebird", "\"\\ud83d\\ude00 \\udc00Bluebird", StringComparison.Ordinal);
        Assert.NotEqual(Customer, customer);
        var cut = await harness.AppendAsync("fsm", customer);

        await harness.Router.RouteBatchAsync(CancellationToken.None);

        var (state, reason) = await harness.StateAsync(cut);
        Assert.True(state == InboxEventState.Routed, $"{state}: {reason}");
        var rows = await harness.OutboxAsync(cut);
        Assert.NotEmpty(rows);
        Assert.Contains(rows, r => r.IdempotencyKey.Contains("C-\uFFFD-42", StringComparison.Ordinal));
        var name = System.Text.Json.Nodes.JsonNode.Parse(rows.First(r => r.Flow == "customer-salesforce").Payload)!["fields"]!["Name"]!.GetValue<string>();
        Assert.StartsWith("\U0001F600 \uFFFDBluebird", name, StringComparison.Ordinal);
    }

    private static MappingFolder MappingWithHalfAPairInTheKey()
    {
        var mappings = new MappingFolder();
        var flow = mappings.Read("flows/customer-salesforce.yaml");
        var keyed = flow.Replace("idempotencyKey: entity.id", "idempotencyKey: \"'sf\\\\ud83d' & entity.id\"", StringComparison.Ordinal);
        Assert.NotEqual(flow, keyed);
        mappings.Write("flows/customer-salesforce.yaml", keyed);
        return mappings;
    }

    private static async Task HalfASurrogatePairFromTheMappingAsync(RouterHarness harness)
    {
        await using var _ = harness;
        var bad = await harness.AppendAsync("fsm", Customer);
        var good = await harness.AppendAsync("fsm", Customer.Replace("C-42", "C-43", StringComparison.Ordinal));

        await harness.Router.RouteBatchAsync(CancellationToken.None);

        var (state, reason) = await harness.StateAsync(bad);
        Assert.Equal(InboxEventState.Parked, state);
        Assert.StartsWith("the idempotency key of flow customer-salesforce, operation", reason, StringComparison.Ordinal);
        Assert.Contains("holds a UTF-16 surrogate without its pair (\\ud83d", reason, StringComparison.Ordinal);
        Assert.Empty(await harness.OutboxAsync(bad));
        Assert.Equal(InboxEventState.Parked, (await harness.StateAsync(good)).State);
    }

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
