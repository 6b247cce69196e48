using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Dapper;
using FieldOps.Bench;
using FieldOps.Connectors.BambooHR;
using FieldOps.Connectors.Http;
using FieldOps.Dispatch.Load;
using FieldOps.Integration.Core.Credentials;
using FieldOps.Integration.Core.Dispatch;
using FieldOps.Integration.Core.Outbox;
using FieldOps.Integration.Core.Routing;
using FieldOps.Integration.Core.Storage;
using FieldOps.Integration.Storage;
using FieldOps.Integration.Storage.Migrations;
using FieldOps.Integration.Storage.Outbox;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

// Delivered operations per second through the real dispatcher, SQLite store and HTTP connector against a loopback
// target: once answering at once, once with every 10th call a 503; then BambooHR hours through the bulk endpoint with
// batch delivery off and on, side by side, the target answering at once and after 20 ms. Bounded: a fixed number of
// rows and a time cap. Each run checks its work before printing: every row delivered, and the target received every
// idempotency key exactly once. A second argument "batch" runs only the batch pairs, "plain" only the first scenario,
// "marks" only the one where every operation is not idempotent (a durable in-flight mark before each call).
var rows = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 2000;
var batchOnly = args.Length > 1 && args[1] == "batch";
// "plain": only the first scenario (the target answers at once), e.g. to profile it over a longer run.
var plainOnly = args.Length > 1 && args[1] == "plain";
var marksOnly = args.Length > 1 && args[1] == "marks";
Console.WriteLine($"# Dispatcher load: {rows} operations on {rows / 4} partition keys, SQLite (synchronous=FULL), {Environment.ProcessorCount} cores, load average {Load()}");
return await WorkCheck.RunAsync(async () =>
{
    if (plainOnly)
    {
        await RunAsync(rows / 4, new Scenario(), report: false);
        await RunAsync(rows, new Scenario(), report: true);
        return;
    }
    if (marksOnly)
    {
        await RunAsync(rows / 4, new Scenario(NonIdempotent: true), report: false);
        await RunAsync(rows, new Scenario(NonIdempotent: true), report: true);
        return;
    }
    if (!batchOnly)
    {
        await RunAsync(rows / 4, new Scenario(), report: false); // warm-up: JIT, pools
        await BaselineAsync(rows);
        await RunAsync(rows, new Scenario(), report: true);
        await RunAsync(rows, new Scenario(FailureShare: 0.1), report: true);
        await RunAsync(rows, new Scenario(NonIdempotent: true), report: true);
    }
    await RunAsync(rows / 4, new Scenario(Hours: true, Batch: false), report: false); // warm-up of the BambooHR path
    await RunAsync(rows / 4, new Scenario(Hours: true, Batch: true), report: false);
    foreach (var latency in new[] { TimeSpan.Zero, TimeSpan.FromMilliseconds(20) })
    {
        await RunAsync(rows, new Scenario(Hours: true, Batch: false, Latency: latency), report: true);
        await RunAsync(rows, new Scenario(Hours: true, Batch: true, Latency: latency), report: true);
    }
});

static string Load() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "?";

static void RequireReceived(LoopbackTarget target, int rows, string what)
{
    var missing = Enumerable.Range(0, rows).Count(n => !target.Received.ContainsKey("thing-" + n.ToString(CultureInfo.InvariantCulture)));
    var twice = target.Received.Count(r => r.Value > 1);
    WorkCheck.Require(missing == 0 && target.Received.Count == rows && twice == 0,
        $"{what}: the target received {target.Received.Count} distinct idempotency keys, {missing} of the {rows} missing, {twice} received more than once");
}

// The same target driven straight by 16 HTTP workers: no store, no dispatcher. The ceiling the dispatcher is measured against.
static async Task BaselineAsync(int rows)
{
    await using var target = await LoopbackTarget.StartAsync(0.0);
    using var client = new HttpClient();
    var next = -1;
    var clock = Stopwatch.StartNew();
    await Task.WhenAll(Enumerable.Range(0, 16).Select(async _ =>
    {
        int n;
        while ((n = Interlocked.Increment(ref next)) < rows)
        {
            using var content = new StringContent("{\"n\":" + n.ToString(CultureInfo.InvariantCulture) + "}", System.Text.Encoding.UTF8, "application/json");
            using var response = await client.PutAsync(new Uri(target.Url + "/things/thing-" + n.ToString(CultureInfo.InvariantCulture)), content);
        }
    }));
    var elapsed = clock.Elapsed;
    RequireReceived(target, rows, "baseline");
    Console.WriteLine();
    Console.WriteLine($"## baseline: the target driven directly by 16 HTTP workers, no store");
    Console.WriteLine($"{rows} calls in {elapsed.TotalSeconds:F2} s = {rows / elapsed.TotalSeconds:F0} calls/s (load average {Load()})");
}

static async Task RunAsync(int rows, Scenario scenario, bool report)
{
    var directory = Path.Combine(Path.GetTempPath(), "fieldops-load", Guid.NewGuid().ToString("N"));
    Directory.CreateDirectory(directory);
    var concurrency = int.Parse(Environment.GetEnvironmentVariable("LOAD_CONCURRENCY") ?? "16", CultureInfo.InvariantCulture);
    await using var target = await LoopbackTarget.StartAsync(scenario.FailureShare, scenario.Latency);
    var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
    {
        ["Store:ConnectionString"] = $"Data Source={Path.Combine(directory, "fieldops.db")}",
        ["Credentials:KeysDirectory"] = Path.Combine(directory, "keys"),
        ["Store:SqliteSynchronous"] = Environment.GetEnvironmentVariable("LOAD_SQLITE_SYNCHRONOUS") ?? "Full",
        ["Dispatcher:PollInterval"] = "00:00:00.010",
        ["Dispatcher:BaseDelay"] = "00:00:00.010",
        ["Dispatcher:MaxDelay"] = "00:00:00.050",
        ["Dispatcher:ConcurrencyPerConnector"] = concurrency.ToString(CultureInfo.InvariantCulture),
        ["Dispatcher:BreakerFailureRatio"] = "1.0",
        ["Connectors:Http:Endpoints:things:Url"] = target.Url + "/things/{{idempotencyKey}}",
        ["Connectors:Http:Endpoints:things:Method"] = "PUT",
        ["Connectors:Http:Endpoints:things:NonIdempotent"] = scenario.NonIdempotent ? "true" : "false",
        ["Dispatcher:BatchDelivery"] = scenario.Batch ? "true" : "false",
        ["Connectors:BambooHR:BaseUrl"] = target.Url,
        ["Connectors:BambooHR:ApiKey"] = "0123456789abcdef",
    }).Build();
    var services = new ServiceCollection();
    services.AddSingleton<IConfiguration>(configuration);
    services.AddLogging(b => b.SetMinimumLevel(LogLevel.Error).AddConsole());
    services.AddFieldOpsStore();
    services.AddDispatchStores();
    services.AddSingleton(sp =>
    {
        return new TimedOutboxStore(new OutboxStore(sp.GetRequiredService<IStoreConnections>(), TimeProvider.System));
    });
    services.AddSingleton<IOutboxStore>(sp => sp.GetRequiredService<TimedOutboxStore>());
    services.AddFieldOpsCredentials();
    services.AddHttpConnector(configuration);
    if (scenario.Hours)
        services.AddBambooHRConnector(configuration);
    services.AddOutboxDispatcher();
    await using var provider = services.BuildServiceProvider();
    await provider.GetRequiredService<MigrationRunner>().MigrateAsync(CancellationToken.None);
    var connections = provider.GetRequiredService<IDbConnectionFactory>();
    await SeedAsync(connections, provider.GetRequiredService<IRoutingStore>(), rows, scenario.Hours);

    var dispatcher = provider.GetRequiredService<OutboxDispatcher>();
    // The service's background WAL checkpointer runs beside the dispatcher, as in the service (without it every
    // 1,000 pages of WAL one write-back group would checkpoint inside its commit).
    var checkpointer = provider.GetServices<Microsoft.Extensions.Hosting.IHostedService>().OfType<SqliteWalCheckpointer>().Single();
    await checkpointer.StartAsync(CancellationToken.None);
    var clock = Stopwatch.StartNew();
    await dispatcher.StartAsync(CancellationToken.None);
    // Polled while the dispatcher works: the open rows, from the claim's own index (a count of the delivered rows would
    // read the whole table every 25 ms since migration 0260, and compete with what it measures). Counted exactly after.
    // A slow target bounds the rate at concurrency ÷ latency: the time cap leaves that half as much again.
    var cap = TimeSpan.FromSeconds(30) + scenario.Latency * (rows * 1.5 / concurrency);
    while (clock.Elapsed < cap)
    {
        await Task.Delay(25);
        await using var db = await connections.OpenAsync(CancellationToken.None);
        if (await db.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM outbox WHERE state IN ('pending', 'in_flight')") == 0)
            break;
    }
    var elapsed = clock.Elapsed;
    long delivered;
    await using (var db = await connections.OpenAsync(CancellationToken.None))
        delivered = await db.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM outbox WHERE state = 'delivered'");
    await dispatcher.StopAsync(CancellationToken.None);
    await checkpointer.StopAsync(CancellationToken.None);
    WorkCheck.Require(delivered == rows, $"{scenario.Title}: {delivered} of {rows} rows delivered within {cap.TotalSeconds:F0} s");
    RequireReceived(target, rows, scenario.Title);

    if (!report)
    {
        SqliteCleanup(directory);
        return;
    }
    Console.WriteLine();
    Console.WriteLine($"## {scenario.Title}");
    Console.WriteLine($"delivered {delivered}/{rows} in {elapsed.TotalSeconds:F2} s = {delivered / elapsed.TotalSeconds:F0} operations/s; " +
                      $"target calls {target.Calls} ({target.Failures} failed), {target.Received.Count} distinct keys received, " +
                      $"{target.Received.Values.Sum() - target.Received.Count} duplicate successes; load average {Load()}");
    if (scenario.Hours)
        Console.WriteLine($"  bulk calls {target.BatchSizes.Count}, {(double)rows / Math.Max(target.BatchSizes.Count, 1):F2} records per call (largest {target.BatchSizes.DefaultIfEmpty().Max()})");
    foreach (var (name, (count, ticks)) in provider.GetRequiredService<TimedOutboxStore>().Calls)
    {
        var ms = ticks * 1000.0 / Stopwatch.Frequency;
        Console.WriteLine($"  store {name}: {count} calls, {(double)count / Math.Max(delivered, 1):F2} per operation, {ms / count:F2} ms each");
    }
    SqliteCleanup(directory);
}

static async Task SeedAsync(IDbConnectionFactory connections, IRoutingStore routing, int rows, bool hours)
{
    const int perEvent = 50;
    for (var e = 0; e < rows / perEvent; e++)
    {
        await using (var db = await connections.OpenAsync(CancellationToken.None))
        {
            var id = await db.ExecuteScalarAsync<long>(
                "INSERT INTO inbox (source, dedup_key, received_at, headers, body) VALUES ('load', @key, 0, '{}', X'7B7D') RETURNING id",
                new { key = $"e{e}" });
            var batch = Enumerable.Range(0, perEvent).Select(i =>
            {
                var n = (e * perEvent) + i;
                return new NewOutboxRow
                {
                    Id = OutboxRowKey.Compute(id, "load", $"op{i}", "r1"),
                    InboxEventId = id,
                    Flow = "load",
                    OperationKey = $"op{i}",
                    MappingRevision = "r1",
                    Connector = hours ? "bamboohr" : "http",
                    Operation = hours ? "log-time" : "upsert",
                    ObjectType = hours ? "TimeTrackingRecord" : "Thing",
                    IdempotencyKey = $"thing-{n}",
                    PartitionKey = $"thing:{n % (rows / 4)}",
                    // Hours carry their employee id, so no directory read; the idempotency key is the timeTrackingId (≤ 36).
                    Payload = hours
                        ? JsonSerializer.Serialize(new { fields = new { employeeId = 500 + (n % 50), dateHoursWorked = "2025-03-14", hoursWorked = 1.5 }, @params = new { } })
                        : JsonSerializer.Serialize(new { fields = new { n }, @params = new { endpoint = "things" } }),
                };
            }).ToList();
            await routing.CommitRoutedAsync(id, batch, CancellationToken.None);
        }
    }
}

static void SqliteCleanup(string directory)
{
    Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    try
    {
        Directory.Delete(directory, recursive: true);
    }
    catch (IOException)
    {
    }
}
