using System.Diagnostics;
using System.Globalization;
using Dapper;
using FieldOps.Bench;
using FieldOps.Integration.Core.Operations;
using FieldOps.Integration.Storage;
using FieldOps.Integration.Storage.Inbox;
using FieldOps.Integration.Storage.Migrations;
using FieldOps.Integration.Storage.Operations;
using Microsoft.Extensions.Logging.Abstractions;

// dotnet run -c Release --project bench/FieldOps.Operations.Load -- [deadLetters=100000] [replay=10000] [delivered=100000]
// Seeds a SQLite store (synchronous=FULL, as shipped) directly in one transaction, then times the operator's queries:
// each read five times (median and max), the bulk replay once. Bounded: at most 1,000,000 rows, temp folder deleted.
var deadCount = Arg(0, 100_000);
var replayCount = Arg(1, 10_000);
var deliveredCount = Arg(2, 100_000);
if (deadCount + deliveredCount > 1_000_000 || replayCount > deadCount)
{
    Console.Error.WriteLine("at most 1,000,000 rows, and replay <= dead letters");
    return 2;
}
string[] connectors = ["salesforce", "hubspot", "quickbooks", "bamboohr"];
string[] flows = ["job-completed", "customer", "invoice", "time-entry", "visit", "payment", "technician", "note"];
string[] classes = ["Permanent", "Transient", "OutcomeUnknown", "UnresolvedXref"];

var folder = Path.Combine(Path.GetTempPath(), "fieldops-bench", Guid.NewGuid().ToString("N"));
Directory.CreateDirectory(folder);
try
{
    return await WorkCheck.RunAsync(() => RunAsync(folder));
}
finally
{
    Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    if (Environment.GetEnvironmentVariable("FIELDOPS_BENCH_KEEP") is null)
        Directory.Delete(folder, recursive: true);
    else
        Console.WriteLine($"kept {folder}");
}

async Task RunAsync(string folder)
{
    Console.WriteLine($"load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]}");
    var options = new StoreOptions { ConnectionString = $"Data Source={Path.Combine(folder, "fieldops.db")}" };
    var connections = new SqliteConnectionFactory(options);
    await new MigrationRunner(connections, TimeProvider.System, NullLogger<MigrationRunner>.Instance).MigrateAsync(CancellationToken.None);
    var seeding = Stopwatch.StartNew();
    await SeedAsync(connections);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"seeded {deadCount:N0} dead letters (+{deadCount / 5:N0} blocked behind them) and {deliveredCount:N0} delivered rows in {seeding.Elapsed.TotalSeconds:F1} s"));

    await using var inbox = new InboxStore(connections, options, NullLogger<InboxStore>.Instance);
    var store = new OperationsStore(connections, inbox, TimeProvider.System);
    var service = new DeadLetterService(store, new OperationsMetrics(new NoMeters()));
    var from = DateTimeOffset.FromUnixTimeMilliseconds(1_000_000 + deadCount / 2 * 1000L);
    var to = from.AddHours(1);
    Console.WriteLine("| operation | rows returned | median | max |");
    Console.WriteLine("|---|---|---|---|");
    await TimeAsync("group all dead letters (connector × flow × class)", Math.Min(deadCount, 128), () => Count(service.GroupAsync(DeadLetterFilter.All, CancellationToken.None)));
    await TimeAsync("group, one connector", Math.Min(deadCount / 4, 32), () => Count(service.GroupAsync(new DeadLetterFilter("quickbooks"), CancellationToken.None)));
    await TimeAsync("list newest 100, no filter", Math.Min(deadCount, 100), () => Count(service.ListAsync(DeadLetterFilter.All, 100, null, CancellationToken.None)));
    await TimeAsync("list 100, connector + class", Math.Min(deadCount / 16, 100), () => Count(service.ListAsync(new DeadLetterFilter("hubspot", ErrorClass: "Permanent"), 100, null, CancellationToken.None)));
    await TimeAsync("list 100, connector + flow + class + 1 h range", -1, () => Count(service.ListAsync(new DeadLetterFilter("hubspot", "customer", "Transient", from, to), 100, null, CancellationToken.None)));
    await TimeAsync("list 100, 1 h range only", -1, () => Count(service.ListAsync(new DeadLetterFilter(From: from, To: to), 100, null, CancellationToken.None)));
    await TimeAsync("list 1,000 (largest page)", Math.Min(deadCount, 1000), () => Count(service.ListAsync(DeadLetterFilter.All, 1000, null, CancellationToken.None)));
    await TimeAsync("/metrics store figures (backlog, held, tokens)", -1, async () =>
        (await store.GetBacklogAsync(CancellationToken.None)).Count + (await store.CountHeldAsync(CancellationToken.None)).Count + (await store.ListTokenStatesAsync(CancellationToken.None)).Count);
    var replay = Stopwatch.StartNew();
    var replayed = await service.ReplayMatchingAsync(new DeadLetterFilter(ErrorClass: "Transient"), replayCount, CancellationToken.None);
    replay.Stop();
    WorkCheck.Require(replayed == Math.Min(replayCount, deadCount / 4), $"bulk replay: {replayed} rows replayed, expected {Math.Min(replayCount, deadCount / 4)}");
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| bulk replay by filter (class Transient, max {replayCount:N0}) | {replayed:N0} | {replay.Elapsed.TotalMilliseconds:F0} ms (once) | |"));
    await using (var connection = await connections.OpenAsync(CancellationToken.None))
    {
        var released = await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM outbox WHERE state = 'pending'");
        var actions = await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM outbox_action");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"after the replay: {released:N0} rows pending (replayed + released successors), {actions:N0} actions recorded"));
        foreach (var (label, sql) in new[]
        {
            ("group", "SELECT connector, flow, dead_class, COUNT(*) FROM outbox WHERE state = 'dead' GROUP BY connector, flow, dead_class"),
            ("list", "SELECT id FROM outbox WHERE state = 'dead' AND connector = 'hubspot' AND dead_class = 'Permanent' ORDER BY seq DESC LIMIT 100"),
        })
        {
            var plan = await connection.QueryAsync<(long, long, long, string)>("EXPLAIN QUERY PLAN " + sql);
            Console.WriteLine($"plan ({label}): " + string.Join(" / ", plan.Select(p => p.Item4)));
        }
    }
}

async Task SeedAsync(SqliteConnectionFactory connections)
{
    await using var connection = await connections.OpenAsync(CancellationToken.None);
    await using var transaction = await connection.BeginTransactionAsync();
    var total = deadCount + deliveredCount;
    var events = total / 10 + 1;
    using (var insertEvent = connection.CreateCommand())
    {
        insertEvent.Transaction = transaction;
        insertEvent.CommandText = "INSERT INTO inbox (id, source, dedup_key, received_at, headers, body, state) VALUES ($id, 'jobber', $id, 0, '{}', X'7B7D', 'routed')";
        var id = insertEvent.CreateParameter();
        id.ParameterName = "$id";
        insertEvent.Parameters.Add(id);
        for (var e = 1; e <= events; e++)
        {
            id.Value = e;
            await insertEvent.ExecuteNonQueryAsync();
        }
    }
    using var insert = connection.CreateCommand();
    insert.Transaction = transaction;
    insert.CommandText =
        "INSERT INTO outbox (id, seq, inbox_event_id, flow, operation_key, mapping_revision, connector, operation, object_type, idempotency_key, " +
        "partition_key, payload, source_file, state, attempts, created_at, next_attempt_at, completed_at, dead_reason, last_outcome) " +
        "VALUES ($id, $seq, $event, $flow, 'op', 'rev1', $connector, 'upsert', 'Thing', $id, $partition, '{\"fields\":{\"name\":\"x\"}}', " +
        "'flows/x.yaml', $state, $attempts, $at, $at, $completed, $reason, $outcome)";
    var names = new[] { "$id", "$seq", "$event", "$flow", "$connector", "$partition", "$state", "$attempts", "$at", "$completed", "$reason", "$outcome" };
    var p = names.ToDictionary(n => n, n =>
    {
        var parameter = insert.CreateParameter();
        parameter.ParameterName = n;
        insert.Parameters.Add(parameter);
        return parameter;
    });
    long seq = 0;
    var random = new Random(42);
    void Set(string state, int i, string connector, string flow, string? cls)
    {
        seq++;
        var at = 1_000_000 + i * 1000L;
        p["$id"].Value = "r" + seq.ToString(CultureInfo.InvariantCulture);
        p["$seq"].Value = seq;
        p["$event"].Value = seq % events + 1;
        p["$flow"].Value = flow;
        p["$connector"].Value = connector;
        p["$partition"].Value = $"{connector}:k:{i}";
        p["$state"].Value = state;
        p["$attempts"].Value = state == "dead" ? 8 : 1;
        p["$at"].Value = at;
        p["$completed"].Value = state == "blocked" ? DBNull.Value : at;
        p["$reason"].Value = cls is null ? DBNull.Value : $"{cls}: the target refused it [flow '{flow}', file 'flows/x.yaml', after 8 attempt(s)]";
        p["$outcome"].Value = (object?)cls ?? DBNull.Value;
    }
    for (var i = 0; i < deadCount; i++)
    {
        var connector = connectors[random.Next(connectors.Length)];
        var flow = flows[random.Next(flows.Length)];
        Set("dead", i, connector, flow, classes[random.Next(classes.Length)]);
        await insert.ExecuteNonQueryAsync();
        if (i % 5 == 0)
        {
            Set("blocked", i, connector, flow, null);
            await insert.ExecuteNonQueryAsync();
        }
    }
    for (var i = 0; i < deliveredCount; i++)
    {
        Set("delivered", deadCount + i, connectors[i % connectors.Length], flows[i % flows.Length], null);
        await insert.ExecuteNonQueryAsync();
    }
    await transaction.CommitAsync();
}

// expected: the exact number of rows the query must return, or -1 for "at least one".
static async Task TimeAsync(string label, int expected, Func<Task<int>> run)
{
    var first = await run(); // warm, and the check that it did the work
    WorkCheck.Require(expected < 0 ? first > 0 : first == expected, $"{label}: {first} rows returned, expected {(expected < 0 ? "some" : expected)}");
    var times = new List<double>();
    var rows = 0;
    for (var i = 0; i < 5; i++)
    {
        var watch = Stopwatch.StartNew();
        rows = await run();
        times.Add(watch.Elapsed.TotalMilliseconds);
    }
    times.Sort();
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {label} | {rows:N0} | {times[2]:F1} ms | {times[^1]:F1} ms |"));
}

static async Task<int> Count<T>(Task<IReadOnlyList<T>> task) => (await task).Count;

int Arg(int index, int fallback) => args.Length > index && int.TryParse(args[index], CultureInfo.InvariantCulture, out var v) && v >= 0 ? v : fallback;

/// <summary>A meter factory whose meters nobody listens to.</summary>
internal sealed class NoMeters : System.Diagnostics.Metrics.IMeterFactory
{
    private readonly List<System.Diagnostics.Metrics.Meter> _meters = [];

    public System.Diagnostics.Metrics.Meter Create(System.Diagnostics.Metrics.MeterOptions options)
    {
        var meter = new System.Diagnostics.Metrics.Meter(options);
        _meters.Add(meter);
        return meter;
    }

    public void Dispose()
    {
        foreach (var meter in _meters)
            meter.Dispose();
    }
}
