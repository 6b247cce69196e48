using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using Dapper;
using FieldOps.Bench;
using FieldOps.Integration.Testing.MultiProcess;
using Microsoft.Data.Sqlite;
using Npgsql;

// Usage (FIELDOPS_TEST_POSTGRES set):
//   dotnet run -c Release --project bench/FieldOps.Cluster.Load -- [jobs=2000] [runs=sqlite1,pg1,pg2,pg3] [partitions=200]
// Each run: fresh store (a SQLite file, or a fresh PostgreSQL database on the shared cluster), that many real fieldops
// processes, a loopback target that answers at once and counts effects by idempotency key. All signed JOB_CLOSED
// webhooks are posted round-robin over the processes (16 senders); each job plans two operations through the generic
// HTTP connector on one of `partitions` keys (an idempotent PUT, then a non-idempotent note). The run waits until every
// outbox row is delivered (at most 180 s), checks that the target received each delivered row's effect by its
// idempotency key and no note twice, then prints delivered operations/s. On PostgreSQL it samples pg_stat_activity's
// wait events of the run's database every 100 ms; for every run the fieldops processes' CPU seconds and the machine's
// busy share of its cores.
var jobsCount = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 2000;
var runs = (args.Length > 1 ? args[1] : "sqlite1,pg1,pg2,pg3").Split(',');
var partitions = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 200;
var timeout = TimeSpan.FromSeconds(180);
var flow = $"""
    kind: flow
    name: bench-job-completed
    when:
      type: JobCompleted
    operations:
      - key: thing
        connector: http
        operation: upsert
        objectType: job
        idempotencyKey: "'job-' & entity.number"
        partitionKey: "'order:' & $string($number(entity.number) % {partitions})"
        fields:
          number: entity.number
        params:
          endpoint: "'things'"
      - key: note
        connector: http
        operation: note
        objectType: job
        idempotencyKey: "'note-' & entity.number"
        partitionKey: "'order:' & $string($number(entity.number) % {partitions})"
        fields:
          number: entity.number
        params:
          endpoint: "'notes'"
    """;

Console.WriteLine($"cluster load: {jobsCount} JOB_CLOSED webhooks per run, 2 operations each on {partitions} partition keys; runs {string.Join(",", runs)}; " +
    $"{DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC; load average {LoadAverage()}");
var folder = Directory.CreateTempSubdirectory("fieldops-cluster-load-").FullName;
try
{
    ClusterMappings.Write(folder, new Dictionary<string, string> { ["bench-job-completed.yaml"] = flow });
    var results = new List<string>();
    var run = 0;
    return await WorkCheck.RunAsync(async () =>
    {
        foreach (var name in runs)
        {
            var store = name.StartsWith("pg", StringComparison.Ordinal) ? "postgres" : "sqlite";
            var processes = int.Parse(name.AsSpan(store == "postgres" ? 2 : 6), CultureInfo.InvariantCulture);
            var r = await RunAsync(store, processes, ++run);
            results.Add(string.Create(CultureInfo.InvariantCulture,
                $"{store,-8} {processes,5} {r.Rows,6} {r.Acked,9:F0} {r.Drain,7:F1} {r.Rows / r.Drain,9:F0} {r.Window,12:F0} {r.WorkerCpu,8:F1} {r.MachineBusy,7:P0} {r.Load,6}  {r.Waits}"));
            Console.WriteLine($"  done: {name} (load {LoadAverage()})");
        }
        Console.WriteLine($"{"store",-8} {"procs",5} {"rows",6} {"acked/s",9} {"drain s",7} {"ops/s",9} {"window ops/s",12} {"cpu s",8} {"busy",7} {"load",6}  top wait events (samples of active backends)");
        foreach (var line in results)
            Console.WriteLine(line);
    });
}
finally
{
    Directory.Delete(folder, recursive: true);
}

async Task<Result> RunAsync(string store, int processes, int run)
{
    await using var target = await EffectTarget.StartAsync();
    var environment = new Dictionary<string, string>(target.Environment);
    FieldOpsCluster? cluster = null;
    FieldOpsWorker? single = null;
    var sqliteFile = Path.Combine(folder, $"run{run}.db");
    IReadOnlyList<FieldOpsWorker> workers;
    Func<Task<DbConnection>> open;
    if (store == "postgres")
    {
        cluster = await FieldOpsCluster.StartAsync(new ClusterOptions(folder, processes) { Environment = environment });
        workers = cluster.Workers;
        open = async () => await cluster.OpenAsync();
    }
    else
    {
        WorkCheck.Require(processes == 1, "SQLite runs one process by design");
        single = StartSqliteWorker(sqliteFile, environment, run);
        await single.WaitUntilReadyAsync(TimeSpan.FromSeconds(90));
        workers = [single];
        open = async () =>
        {
            var c = new SqliteConnection($"Data Source={sqliteFile};Mode=ReadOnly");
            await c.OpenAsync();
            return c;
        };
    }
    try
    {
        var jobs = ClusterMappings.JobClosedWebhooks(jobsCount, run);
        using var sampler = new CancellationTokenSource();
        var waits = cluster is null ? Task.FromResult(new Dictionary<string, int>()) : SampleWaitsAsync(cluster.Database, sampler.Token);
        var busyBefore = CpuTicks();
        var clock = Stopwatch.StartNew();
        using var sender = new JobberWebhookSender(FieldOpsCluster.JobberSecret);
        var receipts = await sender.SendAsync(jobs.Select(j => j.Body).ToList(), () => workers);
        var sent = clock.Elapsed.TotalSeconds;
        WorkCheck.Require(receipts.All(r => r.Acknowledged), $"{store} x{processes}: {receipts.Count(r => !r.Acknowledged)} webhooks not acknowledged, e.g. {receipts.FirstOrDefault(r => !r.Acknowledged)?.Failure}");
        var expected = jobsCount * 2;
        var states = new Dictionary<string, long>();
        static async Task<Dictionary<string, long>> StatesAsync(System.Data.Common.DbConnection connection) =>
            (await connection.QueryAsync<(string State, long Count)>("SELECT state, COUNT(*) FROM outbox GROUP BY state")).ToDictionary(s => s.State, s => s.Count);
        while (clock.Elapsed < timeout)
        {
            await using var connection = await open();
            // The unfinished rows, from ix_outbox_partition_open (a count by state would read the whole table every 100 ms
            // since migration 0260); the rows by state once none is left.
            if (await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM outbox WHERE state IN ('pending', 'in_flight', 'dead', 'blocked')") == 0)
            {
                states = await StatesAsync(connection);
                if (states.GetValueOrDefault("delivered") == expected && states.Count == 1)
                    break;
            }
            await Task.Delay(100);
        }
        var drain = clock.Elapsed.TotalSeconds;
        var busyAfter = CpuTicks();
        if (states.Count == 0)
        {
            await using var connection = await open(); // timed out with rows unfinished: where they stand, for the message
            states = await StatesAsync(connection);
        }
        await sampler.CancelAsync();
        var waitCounts = await waits;
        var cpu = workers.Sum(w => ProcessCpuSeconds(w.ProcessId));
        WorkCheck.Require(states.GetValueOrDefault("delivered") == expected && states.Count == 1,
            $"{store} x{processes}: after {timeout.TotalSeconds} s the outbox holds {string.Join(", ", states.Select(s => $"{s.Key} {s.Value}"))} (expected {expected} delivered)");

        // Did the work: each delivered row's effect received by its idempotency key, and nothing else; no note twice.
        await using (var connection = await open())
        {
            var delivered = (await connection.QueryAsync<(string Operation, string Key)>(
                "SELECT operation, idempotency_key FROM outbox WHERE state = 'delivered'")).Select(r => (r.Operation == "note" ? "notes:" : "things:") + r.Key).ToHashSet(StringComparer.Ordinal);
            WorkCheck.Require(delivered.Count == expected, $"{store} x{processes}: {delivered.Count} distinct delivered keys, expected {expected}");
            var received = target.Effects.Keys.ToHashSet(StringComparer.Ordinal);
            WorkCheck.Require(received.SetEquals(delivered),
                $"{store} x{processes}: the target received {received.Count} keys, the store delivered {delivered.Count}; {delivered.Except(received).Count()} never arrived, {received.Except(delivered).Count()} unknown");
            var twice = target.Effects.Count(e => e.Key.StartsWith("notes:", StringComparison.Ordinal) && e.Value > 1);
            WorkCheck.Require(twice == 0, $"{store} x{processes}: {twice} notes created more than once");
            var window = await connection.ExecuteScalarAsync<long>("SELECT MAX(completed_at) - MIN(first_attempt_at) FROM outbox");
            var total = waitCounts.Where(w => !w.Key.StartsWith(' ')).Sum(w => w.Value);
            var top = string.Join(", ", waitCounts.Where(w => !w.Key.StartsWith(' ')).OrderByDescending(w => w.Value).Take(4)
                .Select(w => $"{w.Key} {100.0 * w.Value / Math.Max(1, total):F0}%"));
            foreach (var (statement, count) in waitCounts.Where(w => w.Key.StartsWith(' ')).OrderByDescending(w => w.Value).Take(4))
                Console.WriteLine($"  {store} x{processes}: {count} samples {statement.Trim()}");
            return new Result(expected, jobsCount / sent, drain, expected / (window / 1000.0), cpu,
                (double)(busyAfter.Busy - busyBefore.Busy) / Math.Max(1, busyAfter.Total - busyBefore.Total), LoadAverage(), total == 0 ? "-" : $"{total} samples: {top}");
        }
    }
    finally
    {
        if (cluster is not null)
            await cluster.DisposeAsync();
        if (single is not null)
            await single.DisposeAsync();
        SqliteConnection.ClearAllPools();
    }
}

// The rig's settings for one worker, on a SQLite file of its own instead of the shared PostgreSQL database.
FieldOpsWorker StartSqliteWorker(string file, IReadOnlyDictionary<string, string> extra, int run)
{
    var directory = Path.Combine(folder, $"sqlite{run}");
    Directory.CreateDirectory(directory);
    var environment = new Dictionary<string, string>
    {
        ["Store__Provider"] = "Sqlite",
        ["Store__ConnectionString"] = $"Data Source={file}",
        ["Credentials__KeysDirectory"] = Path.Combine(directory, "keys"),
        ["Mappings__Path"] = folder,
        ["Sources__jobber__Kind"] = "jobber",
        ["Sources__jobber__Secret"] = FieldOpsCluster.JobberSecret,
        ["Sources__jobber__WebhookOnly"] = "true",
        ["Logging__Level"] = "Warning",
        ["Dispatcher__PollInterval"] = "00:00:00.100",
        ["Dispatcher__BaseDelay"] = "00:00:00.100",
        ["Dispatcher__MaxDelay"] = "00:00:02",
        ["Dispatcher__LeaseDuration"] = "00:00:05",
        ["Dispatcher__ShutdownTimeout"] = "00:00:02",
    };
    foreach (var (key, value) in extra)
        environment[key] = value;
    return FieldOpsWorker.Start("w1", Path.Combine(AppContext.BaseDirectory, "fieldops.dll"), directory, environment);
}

// pg_stat_activity of the run's database, every 100 ms: active backends by wait event ("CPU" when none: running).
static async Task<Dictionary<string, int>> SampleWaitsAsync(ScratchPostgresDatabase database, CancellationToken stop)
{
    var counts = new Dictionary<string, int>(StringComparer.Ordinal);
    await using var connection = new NpgsqlConnection(ScratchPostgresDatabase.AdminConnectionString);
    await connection.OpenAsync(CancellationToken.None);
    while (!stop.IsCancellationRequested)
    {
        var rows = await connection.QueryAsync<(string? Type, string? Event, string Query)>(
            "SELECT wait_event_type, wait_event, left(regexp_replace(query, '\\s+', ' ', 'g'), 48) FROM pg_stat_activity " +
            "WHERE datname = @name AND state = 'active' AND pid <> pg_backend_pid()",
            new { name = database.Name });
        foreach (var (type, name, query) in rows)
        {
            var key = type is null ? "CPU" : $"{type}:{name}";
            counts[key] = counts.GetValueOrDefault(key) + 1;
            // Which statements wait for a row lock: "lock by <statement start>".
            if (type == "Lock")
                counts["  lock by " + query] = counts.GetValueOrDefault("  lock by " + query) + 1;
        }
        try
        {
            await Task.Delay(100, stop);
        }
        catch (OperationCanceledException)
        {
        }
    }
    return counts;
}

static string LoadAverage() => File.ReadAllText("/proc/loadavg").Split(' ')[0];

// /proc/stat's first line: busy and total jiffies of all cores.
static (long Busy, long Total) CpuTicks()
{
    var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(long.Parse).ToArray();
    var idle = fields[3] + fields[4];
    return (fields.Sum() - idle, fields.Sum());
}

// utime + stime of a process from /proc/{pid}/stat (clock ticks of 1/100 s), read before the process is stopped.
static double ProcessCpuSeconds(int pid)
{
    var path = $"/proc/{pid}/stat";
    if (!File.Exists(path))
        return 0;
    var stat = File.ReadAllText(path);
    var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
    return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0;
}

internal sealed record Result(int Rows, double Acked, double Drain, double Window, double WorkerCpu, double MachineBusy, string Load, string Waits);
