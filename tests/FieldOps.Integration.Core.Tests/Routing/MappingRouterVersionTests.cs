using System.Text.Json.Nodes;
using Dapper;
using FieldOps.Integration.Core.Inbox;
using FieldOps.Integration.Storage.Tests.Infrastructure;

namespace FieldOps.Integration.Core.Tests.Routing;

/// <summary>
/// The router's stale-write and cross-delivery checks against the per-entity version ledger, for a canonical
/// (fat-payload) source that no hydrator or poll checks first; one body per provider where the SQL matters.
/// </summary>
public sealed class MappingRouterVersionTests
{
    private const string V1 = "2025-03-14T12:29:58-06:00";
    private const string V2 = "2025-03-14T12:31:00-06:00";

    [Fact]
    public async Task RouteBatch_OlderVersionAfterNewer_MarksStaleWithoutRows() =>
        await OlderAfterNewerAsync(await RouterHarness.StartAsync());

    [PostgresFact]
    public async Task RouteBatch_OlderVersionAfterNewer_MarksStaleWithoutRowsOnPostgres() =>
        await OlderAfterNewerAsync(await RouterHarness.StartAsync(new PostgresTestDatabase()));

    [Fact]
    public async Task RouteBatch_SameVersionFromTwoDeliveries_WritesOneSetOfRows() =>
        await SameVersionTwiceAsync(await RouterHarness.StartAsync());

    [PostgresFact]
    public async Task RouteBatch_SameVersionFromTwoDeliveries_WritesOneSetOfRowsOnPostgres() =>
        await SameVersionTwiceAsync(await RouterHarness.StartAsync(new PostgresTestDatabase()));

    [Fact]
    public async Task RouteBatch_NewerVersionAfterOlder_RoutesBoth()
    {
        await using var harness = await RouterHarness.StartAsync();
        var older = await RouteAsync(harness, Customer(V1));
        var newer = await RouteAsync(harness, Customer(V2));

        Assert.Equal((InboxEventState.Routed, (string?)null), await harness.StateAsync(older));
        Assert.Equal((InboxEventState.Routed, (string?)null), await harness.StateAsync(newer));
        Assert.NotEmpty(await harness.OutboxAsync(newer));
    }

    [Fact]
    public async Task RouteBatch_EventWithoutVersion_RoutesAsBefore()
    {
        await using var harness = await RouterHarness.StartAsync();
        await RouteAsync(harness, Customer(V2));
        var first = await RouteAsync(harness, Customer(null));
        var second = await RouteAsync(harness, Customer(null));

        foreach (var id in new[] { first, second })
        {
            Assert.Equal((InboxEventState.Routed, (string?)null), await harness.StateAsync(id));
            Assert.NotEmpty(await harness.OutboxAsync(id));
        }
        Assert.Equal(1, await LedgerCountAsync(harness));
    }

    [Fact]
    public async Task RouteBatch_EventTheHydratorAlreadyRecorded_IsNotCheckedAgain()
    {
        await using var harness = await RouterHarness.StartAsync();
        var id = await harness.AppendAsync("fsm", Customer(V1));
        await using (var connection = await harness.Connections.OpenAsync(CancellationToken.None))
        {
            // As the hydrator leaves it: its own version accepted under its id, and meanwhile a newer one from a later event.
            const string Insert = "INSERT INTO entity_version (source, entity_type, entity_id, source_version, topic, inbox_event_id, recorded_at) " +
                "VALUES ('fsm', 'Customer', 'C-42', @version, 'customer.updated', @id, 0)";
            await connection.ExecuteAsync(Insert, new { version = DateTimeOffset.Parse(V1, System.Globalization.CultureInfo.InvariantCulture).ToUnixTimeMilliseconds(), id });
            await connection.ExecuteAsync(Insert, new { version = DateTimeOffset.Parse(V2, System.Globalization.CultureInfo.InvariantCulture).ToUnixTimeMilliseconds(), id = id + 1000 });
        }

        Assert.Equal(1, await harness.Router.RouteBatchAsync(CancellationToken.None));

        Assert.Equal((InboxEventState.Routed, (string?)null), await harness.StateAsync(id));
        Assert.NotEmpty(await harness.OutboxAsync(id));
        Assert.Equal(2, await LedgerCountAsync(harness));
    }

    [Fact]
    public async Task RouteBatch_ReroutedVersionedEvent_IsNotItsOwnDuplicate()
    {
        await using var harness = await RouterHarness.StartAsync();
        var id = await RouteAsync(harness, Customer(V1));
        var rows = await harness.OutboxAsync(id);

        await harness.ResetAsync(id);
        await harness.Router.RouteBatchAsync(CancellationToken.None);

        Assert.Equal((InboxEventState.Routed, (string?)null), await harness.StateAsync(id));
        Assert.Equal(rows.Select(r => r.Id), (await harness.OutboxAsync(id)).Select(r => r.Id));
    }

    private static async Task OlderAfterNewerAsync(RouterHarness harness)
    {
        await using var _ = harness;
        var newer = await RouteAsync(harness, Customer(V2));
        var older = await RouteAsync(harness, Customer(V1));

        Assert.Equal(InboxEventState.Routed, (await harness.StateAsync(newer)).State);
        Assert.NotEmpty(await harness.OutboxAsync(newer));
        var (state, reason) = await harness.StateAsync(older);
        Assert.Equal(InboxEventState.Stale, state);
        Assert.Contains("Customer C-42", reason, StringComparison.Ordinal);
        Assert.Contains("2025-03-14T18:29:58", reason, StringComparison.Ordinal);
        Assert.Contains("2025-03-14T18:31:00", reason, StringComparison.Ordinal);
        Assert.Empty(await harness.OutboxAsync(older));
    }

    private static async Task SameVersionTwiceAsync(RouterHarness harness)
    {
        await using var _ = harness;
        var first = await RouteAsync(harness, Customer(V1), "delivery-a");
        var second = await RouteAsync(harness, Customer(V1), "delivery-b");

        Assert.Equal(InboxEventState.Routed, (await harness.StateAsync(first)).State);
        Assert.NotEmpty(await harness.OutboxAsync(first));
        var (state, reason) = await harness.StateAsync(second);
        Assert.Equal(InboxEventState.Stale, state);
        Assert.StartsWith($"duplicate of inbox event {first}:", reason, StringComparison.Ordinal);
        Assert.Empty(await harness.OutboxAsync(second));
    }

    private static async Task<long> RouteAsync(RouterHarness harness, string json, string? dedupKey = null)
    {
        var id = await harness.AppendAsync("fsm", json, dedupKey);
        Assert.Equal(1, await harness.Router.RouteBatchAsync(CancellationToken.None));
        return id;
    }

    private static string Customer(string? version)
    {
        var json = JsonNode.Parse(RouterHarness.Sample("canonical-customer-upserted.json"))!.AsObject();
        json["sourceVersion"] = version;
        return json.ToJsonString();
    }

    private static async Task<long> LedgerCountAsync(RouterHarness harness)
    {
        await using var connection = await harness.Connections.OpenAsync(CancellationToken.None);
        return await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM entity_version");
    }
}
