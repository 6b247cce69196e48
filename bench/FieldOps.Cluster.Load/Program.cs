using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Dapper;
using FieldOps.Bench;
using FieldOps.Integration.Testing.MultiProcess;
using Microsoft.Data.Sqlite;

// Usage (FIELDOPS_TEST_POSTGRES set):
//   dotnet run -c Release --project bench/FieldOps.Cluster.Load -- [jobs=2000] [runs=sqlite:1,postgres:1,postgres:2,postgres:3]
// Each run: a loopback target answering at once (EffectTarget: an idempotent PUT and a non-idempotent note per job,
// counted by idempotency key), that many real fieldops processes on a fresh database (SQLite FULL, or one PostgreSQL
// database shared by all), and `jobs` signed Jobber JOB_CLOSED webhooks (two operations each) posted round-robin over
// the processes by 16 senders. Measures from the first webhook sent to the last operation delivered. Before printing,
// checks: every webhook acknowledged, every job's two effects at the target, no note twice, and the store's delivered
// rows = the operations planned.
var jobs = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 2000;
var runs = (args.Length > 1 ? args[1] : "sqlite:1,postgres:1,postgres:2,postgres:3").Split(',')
    .Select(r => r.Split(':')).Select(p => (Provider: p[0], Processes: int.Parse(p[1], CultureInfo.InvariantCulture))).ToList();
var timeout = TimeSpan.FromMinutes(5);

Console.WriteLine($"cluster load: {jobs} job-completed webhooks ({jobs * 2} operations) per run; runs {string.Join(", ", runs.Select(r => $"{r.Provider}x{r.Processes}"))}; " +
    $"{Environment.ProcessorCount} cores; load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]}");
Console.WriteLine($"{"store",-9} {"procs",5} {"acked/s",8} {"ops",6} {"seconds",7} {"ops/s",7} {"vs first",8} {"load",5}");
var folder = Directory.CreateTempSubdirectory("fieldops-cluster-load-").FullName;
try
{
    var mappings = ClusterMappings.Write(folder, ClusterFlows.JobCompleted);
    double? first = null;
    var run = 0;
    return await WorkCheck.RunAsync(async () =>
    {
        foreach (var (provider, processes) in runs)
        {
            var result = await RunAsync(provider, processes, mappings, ++run);
            var perSecond = jobs * 2 / result.Seconds;
            first ??= perSecond;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{provider,-9} {processes,5} {result.AckedPerSecond,8:F0} {jobs * 2,6} {result.Seconds,7:F1} {perSecond,7:F0} {perSecond / first.Value,7:F2}x {File.ReadAllText("/proc/loadavg").Split(' ')[0],5}"));
        }
    });
}
finally
{
    Directory.Delete(folder, recursive: true);
}

async Task<(double AckedPerSecond, double Seconds)> RunAsync(string provider, int processes, string mappings, int run)
{
    var sqlite = string.Equals(provider, "sqlite", StringComparison.OrdinalIgnoreCase);
    WorkCheck.Require(!sqlite || processes == 1, "SQLite runs one process (its single writer is the design)");
    await using var target = await EffectTarget.StartAsync();
    var environment = new Dictionary<string, string>(target.Environment) { ["Dispatcher__LeaseDuration"] = "00:00:30" };
    var sqliteFile = Path.Combine(folder, $"run{run}.db");
    if (sqlite)
    {
        environment["Store__Provider"] = "Sqlite";
        environment["Store__ConnectionString"] = $"Data Source={sqliteFile}";
    }
    await using var cluster = await FieldOpsCluster.StartAsync(new ClusterOptions(mappings, processes) { Environment = environment });
    var bodies = ClusterMappings.JobClosedWebhooks(jobs, run).Select(j => j.Body).ToList();
    var numbers = bodies.Select(b => JsonNode.Parse(b)!["record"]!["jobNumber"]!.ToString()).ToList();
    var effects = numbers.SelectMany(ClusterFlows.EffectsOf).ToList();

    var clock = Stopwatch.StartNew();
    using var sender = new JobberWebhookSender(FieldOpsCluster.JobberSecret);
    var receipts = await sender.SendAsync(bodies, () => cluster.Running);
    var acked = clock.Elapsed.TotalSeconds;
    WorkCheck.Require(receipts.All(r => r.Acknowledged), $"{provider}x{processes}: {receipts.Count(r => !r.Acknowledged)} webhooks not acknowledged");
    while (clock.Elapsed < timeout && effects.Any(e => !target.Effects.ContainsKey(e)))
        await Task.Delay(50);
    var seconds = clock.Elapsed.TotalSeconds;
    var missing = effects.Count(e => !target.Effects.ContainsKey(e));
    WorkCheck.Require(missing == 0, $"{provider}x{processes}: {missing} of {effects.Count} operations not delivered within {timeout}");
    var twice = target.Effects.Count(e => e.Key.StartsWith("notes:", StringComparison.Ordinal) && e.Value > 1);
    WorkCheck.Require(twice == 0, $"{provider}x{processes}: {twice} notes created more than once");
    var delivered = await CountDeliveredAsync(sqlite, sqliteFile, cluster);
    // The last effect can arrive a moment before its row's completion is written back.
    for (var waited = Stopwatch.StartNew(); delivered < effects.Count && waited.Elapsed < TimeSpan.FromSeconds(10); await Task.Delay(100))
        delivered = await CountDeliveredAsync(sqlite, sqliteFile, cluster);
    WorkCheck.Require(delivered == effects.Count, $"{provider}x{processes}: the store holds {delivered} delivered rows for {effects.Count} operations");
    return (jobs / acked, seconds);
}

static async Task<long> CountDeliveredAsync(bool sqlite, string sqliteFile, FieldOpsCluster cluster)
{
    if (sqlite)
    {
        await using var connection = new SqliteConnection($"Data Source={sqliteFile};Mode=ReadOnly");
        return await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM outbox WHERE state = 'delivered'");
    }
    await using var pg = await cluster.OpenAsync();
    return await pg.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM outbox WHERE state = 'delivered'");
}
