using Dapper;
using FieldOps.Integration.Core.Inbox;
using FieldOps.Integration.Core.Tests.Routing;
using FieldOps.Integration.Storage.Tests.Infrastructure;
using Npgsql;

namespace FieldOps.Integration.Core.Tests.Regressions;

/// <summary>
/// An event whose routing commit the store refuses for the event's own data (here a trigger the test installs, which
/// raises a real error for the rows of customer C-666) failed its whole commit group at every try: the router took it
/// for an outage, backed off, claimed the same oldest events again, and routed nothing after them, for ever. The group's
/// events are now committed one at a time; the refused one is parked naming the error, and the others route. A fault the
/// store would give any write (here PostgreSQL's disk_full) still parks nothing: the batch throws and the service backs off.
/// </summary>
public sealed class RouterCommitDataFaultTests
{
    private static readonly string Customer = RouterHarness.Sample("canonical-customer-upserted.json");

    [Fact]
    public async Task RouteBatch_TheStoreRefusesOneEventsRows_ParksItNamingTheErrorAndRoutesTheOthers()
    {
        await using var harness = await RouterHarness.StartAsync();
        await ExecuteAsync(harness, """
            CREATE TRIGGER test_refuse_c666 BEFORE INSERT ON outbox WHEN NEW.idempotency_key LIKE '%C-666%'
            BEGIN SELECT RAISE(ABORT, 'refused by the test for C-666'); END
            """);

        await RefusedEventIsParkedAsync(harness, "SqliteException", "refused by the test for C-666");
    }

    [PostgresFact]
    public async Task RouteBatch_TheStoreRefusesOneEventsRows_ParksItNamingTheErrorAndRoutesTheOthersOnPostgres()
    {
        await using var harness = await RouterHarness.StartAsync(new PostgresTestDatabase());
        await InstallPostgresRefusalAsync(harness, "22023");

        await RefusedEventIsParkedAsync(harness, "PostgresException", "22023: refused by the test for C-666");
    }

    [PostgresFact]
    public async Task RouteBatch_TheStoreFailsAsAnyWriteWould_ParksNothingAndThrows()
    {
        await using var harness = await RouterHarness.StartAsync(new PostgresTestDatabase());
        await InstallPostgresRefusalAsync(harness, "53100"); // disk_full
        var (before, refused, after) = await AppendThreeAsync(harness);

        var failure = await Assert.ThrowsAsync<PostgresException>(() => harness.Router.RouteBatchAsync(CancellationToken.None));

        Assert.Equal("53100", failure.SqlState);
        foreach (var id in new[] { before, refused, after })
        {
            Assert.Equal(InboxEventState.New, (await harness.StateAsync(id)).State);
            Assert.Empty(await harness.OutboxAsync(id));
        }
    }

    [Fact]
    public async Task RouteBatch_TheStoreRefusesEveryEventsRows_ParksNothingAndThrows()
    {
        // A fault every write meets (here every row refused; in life a schema a failed upgrade left behind) is no event's
        // fault: parked, every event would wait for an admin's re-route; thrown, the service backs off and routes them
        // once the store is mended.
        await using var harness = await RouterHarness.StartAsync();
        await ExecuteAsync(harness, """
            CREATE TRIGGER test_refuse_all BEFORE INSERT ON outbox
            BEGIN SELECT RAISE(ABORT, 'refused by the test for every row'); END
            """);
        var (before, refused, after) = await AppendThreeAsync(harness);

        await Assert.ThrowsAsync<Microsoft.Data.Sqlite.SqliteException>(() => harness.Router.RouteBatchAsync(CancellationToken.None));

        foreach (var id in new[] { before, refused, after })
            Assert.Equal(InboxEventState.New, (await harness.StateAsync(id)).State);
    }

    [Fact]
    public async Task RouteBatch_TheRefusedEventAloneInItsBatch_WaitsAndIsParkedOnceAnotherEventCommits()
    {
        await using var harness = await RouterHarness.StartAsync();
        await ExecuteAsync(harness, """
            CREATE TRIGGER test_refuse_c666 BEFORE INSERT ON outbox WHEN NEW.idempotency_key LIKE '%C-666%'
            BEGIN SELECT RAISE(ABORT, 'refused by the test for C-666'); END
            """);
        var refused = await harness.AppendAsync("fsm", Customer.Replace("C-42", "C-666", StringComparison.Ordinal));

        await Assert.ThrowsAsync<Microsoft.Data.Sqlite.SqliteException>(() => harness.Router.RouteBatchAsync(CancellationToken.None));
        Assert.Equal(InboxEventState.New, (await harness.StateAsync(refused)).State);

        await ExecuteAsync(harness, $"UPDATE inbox SET route_lease_owner = NULL, route_lease_until = NULL WHERE id = {refused}"); // the claim's lease, lapsed
        var next = await harness.AppendAsync("fsm", Customer.Replace("C-42", "C-43", StringComparison.Ordinal));
        await harness.Router.RouteBatchAsync(CancellationToken.None);

        Assert.Equal(InboxEventState.Parked, (await harness.StateAsync(refused)).State);
        Assert.Equal(InboxEventState.Routed, (await harness.StateAsync(next)).State);
    }

    private static async Task RefusedEventIsParkedAsync(RouterHarness harness, string fault, string message)
    {
        var (before, refused, after) = await AppendThreeAsync(harness);

        Assert.Equal(3, await harness.Router.RouteBatchAsync(CancellationToken.None));

        var (state, reason) = await harness.StateAsync(refused);
        Assert.True(state == InboxEventState.Parked, $"{state}: {reason}");
        Assert.StartsWith($"the store refused the event's routing commit ({fault}: ", reason, StringComparison.Ordinal);
        Assert.Contains(message, reason, StringComparison.Ordinal);
        Assert.Empty(await harness.OutboxAsync(refused));
        foreach (var routed in new[] { before, after })
        {
            Assert.Equal(InboxEventState.Routed, (await harness.StateAsync(routed)).State);
            Assert.NotEmpty(await harness.OutboxAsync(routed));
        }
    }

    // Three events of one commit group, the refused one between two others.
    private static async Task<(long Before, long Refused, long After)> AppendThreeAsync(RouterHarness harness)
    {
        var before = await harness.AppendAsync("fsm", Customer.Replace("C-42", "C-41", StringComparison.Ordinal));
        var refused = await harness.AppendAsync("fsm", Customer.Replace("C-42", "C-666", StringComparison.Ordinal));
        var after = await harness.AppendAsync("fsm", Customer.Replace("C-42", "C-43", StringComparison.Ordinal));
        return (before, refused, after);
    }

    private static Task InstallPostgresRefusalAsync(RouterHarness harness, string sqlState) =>
        ExecuteAsync(harness, $"""
            CREATE FUNCTION test_refuse_c666() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF NEW.idempotency_key LIKE '%C-666%' THEN
                    RAISE EXCEPTION 'refused by the test for C-666' USING ERRCODE = '{sqlState}';
                END IF;
                RETURN NEW;
            END $$;
            CREATE TRIGGER test_refuse_c666 BEFORE INSERT ON outbox FOR EACH ROW EXECUTE FUNCTION test_refuse_c666();
            """);

    private static async Task ExecuteAsync(RouterHarness harness, string sql)
    {
        await using var connection = await harness.Connections.OpenAsync(CancellationToken.None);
        await connection.ExecuteAsync(sql);
    }
}
