using FieldOps.Integration.Core.Outbox;
using FieldOps.Integration.Core.Tests.Support;
using FieldOps.Integration.Storage.Tests.Infrastructure;
using FieldOps.Integration.Testing.Stores;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace FieldOps.Integration.Core.Tests.Dispatch;

/// <summary>
/// Two dispatchers with their own services and connection pools (two owners, as two processes would be) on one
/// database, SQLite and PostgreSQL: a lease is renewed while a long call runs, and a dead worker's lease is reclaimed.
/// </summary>
public sealed class DispatcherLeaseTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);
    private readonly WireMockServer _target = WireMockServer.Start();
    private readonly string _keys = Path.Combine(Path.GetTempPath(), "fieldops-tests", Guid.NewGuid().ToString("N"));

    [Fact]
    public Task Dispatch_CallLongerThanTheLease_RenewsSoNoOtherWorkerCallsAgain_Sqlite() =>
        CallLongerThanTheLeaseAsync(new SqliteTestDatabase());

    [PostgresFact]
    public Task Dispatch_CallLongerThanTheLease_RenewsSoNoOtherWorkerCallsAgain_Postgres() =>
        CallLongerThanTheLeaseAsync(new PostgresTestDatabase());

    [Fact]
    public Task Dispatch_RowLeasedByAWorkerThatDied_IsDeliveredBySurvivorAfterTheLease_Sqlite() =>
        DeadWorkersLeaseAsync(new SqliteTestDatabase());

    [PostgresFact]
    public Task Dispatch_RowLeasedByAWorkerThatDied_IsDeliveredBySurvivorAfterTheLease_Postgres() =>
        DeadWorkersLeaseAsync(new PostgresTestDatabase());

    private async Task CallLongerThanTheLeaseAsync(TestDatabase database)
    {
        await using var db = await database.InitializeAsync();
        // The call lasts 1.7 leases: without renewal the second worker claims the row after one lease and calls again.
        // A 6 s lease is renewed (every 2 s) while at least 3 s of it is left, room for a loaded CI machine's stalls:
        // a 4 s lease, renewed with as little as 1.3 s left, let the second worker call again once in CI.
        _target.Given(Request.Create().WithPath("/things/slow-1").UsingPut())
            .RespondWith(Response.Create().WithStatusCode(200).WithDelay(TimeSpan.FromSeconds(10)));
        var rows = await TestRows.AddAsync(db.Connections, Thing("slow-1"));
        // One call at a time per worker, so the first cannot take its own lapsed lease back by claiming again.
        var settings = Settings("00:00:06");
        settings["Dispatcher:ConcurrencyPerConnector"] = "1";

        await using var first = new DispatcherHarness(db.Options, _keys, settings);
        await first.StartAsync();
        // (WireMock logs a request only once answered: wait for the claim instead.)
        await WaitForAsync(async () => await first.Outbox.CountLeasesAsync(first.Dispatcher.Owner, DateTimeOffset.UtcNow, CancellationToken.None) == 1);
        await using var second = new DispatcherHarness(db.Options, _keys, settings);
        await second.StartAsync();
        await WaitForAsync(async () => await first.StateAsync(rows[0].Id) == OutboxStates.Delivered);

        // WireMock logs a request after answering it, so a second call would show up just after the row is delivered.
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Single(_target.LogEntries, e => e.RequestMessage.Method == "PUT");
        var attempts = await first.Outbox.GetAttemptsAsync(rows[0].Id, CancellationToken.None);
        Assert.Single(attempts);
    }

    private async Task DeadWorkersLeaseAsync(TestDatabase database)
    {
        await using var db = await database.InitializeAsync();
        _target.Given(Request.Create().WithPath("/things/orphan-1").UsingPut()).RespondWith(Response.Create().WithStatusCode(200));
        var rows = await TestRows.AddAsync(db.Connections, Thing("orphan-1"));
        await using var survivor = new DispatcherHarness(db.Options, _keys, Settings("00:00:02"));
        // A worker claimed the row for 2 s and died (no write-back, no release): nobody may call until its lease runs out.
        var claimedAt = DateTimeOffset.UtcNow;
        Assert.Single(await survivor.Outbox.ClaimAsync("http", 1, [], "dead-worker", claimedAt, TimeSpan.FromSeconds(2), CancellationToken.None));

        await survivor.StartAsync();
        await WaitForAsync(async () => await survivor.StateAsync(rows[0].Id) == OutboxStates.Delivered);

        var call = Assert.Single(_target.LogEntries, e => e.RequestMessage.Method == "PUT");
        Assert.True(call.RequestMessage.DateTime.ToUniversalTime() >= claimedAt.UtcDateTime.AddSeconds(1.9),
            $"called at {call.RequestMessage.DateTime:O}, before the dead worker's lease (from {claimedAt:O}) ran out");
    }

    private Dictionary<string, string?> Settings(string lease) => new()
    {
        ["Dispatcher:LeaseDuration"] = lease,
        ["Dispatcher:ShutdownTimeout"] = "00:00:00.500",
        ["Dispatcher:PollInterval"] = "00:00:00.100",
        ["Connectors:Http:Timeout"] = "00:00:30",
        ["Connectors:Http:Endpoints:things:Url"] = _target.Url + "/things/{{idempotencyKey}}",
        ["Connectors:Http:Endpoints:things:Method"] = "PUT",
    };

    private static TestRow Thing(string key) => new("p1", new { fields = new { name = key }, @params = new { endpoint = "things" } }, IdempotencyKey: key);

    private static Task WaitForAsync(Func<Task<bool>> condition) => DispatcherHarness.WaitForAsync(condition, Patience);

    public void Dispose()
    {
        _target.Stop();
        _target.Dispose();
        try
        {
            Directory.Delete(_keys, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }
}
