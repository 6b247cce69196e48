using System.Diagnostics;
using System.Globalization;
using Dapper;
using FieldOps.Bench;
using FieldOps.Integration.Testing.MultiProcess;

// Usage (FIELDOPS_TEST_POSTGRES set):
//   dotnet run -c Release --project bench/FieldOps.Hydration.Load -- [processes=1,2,3] [baseline=path/to/older/fieldops.dll]
// For each process count: a fresh PostgreSQL database, that many real fieldops processes, a loopback Jobber that counts
// GraphQL queries, and 300 thin JOB_CLOSED webhooks (50 bursts of five updates to one job, then 50 single updates)
// posted round-robin over the processes. Waits until every event is hydrated and routed (at most 60 s), checks that
// every job has one routed event and was fetched, then prints fetches per webhook and per job. With a baseline build,
// each process count runs on it first, then on this build, side by side.
var counts = (args.Length > 0 ? args[0] : "1,2,3").Split(',').Select(c => int.Parse(c, CultureInfo.InvariantCulture)).ToList();
var baseline = args.Length > 1 ? args[1] : null;
const int Bursts = 50, BurstSize = 5, Singles = 50;
const string Flow = """
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
        partitionKey: "'job-' & entity.number"
        fields:
          number: entity.number
        params:
          endpoint: "'things'"
    """;

Console.WriteLine($"hydration load: {Bursts} bursts of {BurstSize} + {Singles} single thin Jobber webhooks ({Bursts * BurstSize + Singles}) per run; " +
    $"Hydration:Debounce 1 s; processes {string.Join(",", counts)}; load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]}");
Console.WriteLine($"{"build",-9} {"procs",5} {"webhooks",8} {"jobs",5} {"fetches",7} {"per webhook",11} {"per job",7} {"vs 1 proc",9} {"seconds",7}");
var folder = Directory.CreateTempSubdirectory("fieldops-hydration-load-").FullName;
try
{
    ClusterMappings.Write(folder, new Dictionary<string, string> { ["bench-job-completed.yaml"] = Flow });
    var first = new Dictionary<string, double>();
    var run = 0;
    return await WorkCheck.RunAsync(async () =>
    {
        foreach (var processes in counts)
        {
            var builds = new List<(string Build, string? Host)>();
            if (baseline is not null)
                builds.Add(("baseline", baseline));
            builds.Add(("current", null));
            foreach (var (build, host) in builds)
            {
                var (fetches, jobs, webhooks, seconds) = await RunAsync(processes, host, ++run);
                var perJob = (double)fetches / jobs;
                first.TryAdd(build, perJob);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{build,-9} {processes,5} {webhooks,8} {jobs,5} {fetches,7} {(double)fetches / webhooks,11:F3} {perJob,7:F3} {perJob / first[build],8:F2}x {seconds,7:F1}"));
            }
        }
    });
}
finally
{
    Directory.Delete(folder, recursive: true);
}

async Task<(int Fetches, int Jobs, int Webhooks, double Seconds)> RunAsync(int processes, string? host, int run)
{
    await using var target = await EffectTarget.StartAsync();
    await using var jobber = await JobberApiStandIn.StartAsync(TimeSpan.FromMilliseconds(100));
    var jobs = ThinJobberWebhooks.Jobs(jobber, Bursts, BurstSize, Singles, run);
    var webhooks = jobs.SelectMany(j => j.Webhooks).ToList();
    var environment = new Dictionary<string, string>(target.Environment) { ["Hydration__Debounce"] = "00:00:01", ["Hydration__MaxDelay"] = "00:00:10" };
    foreach (var (key, value) in jobber.Environment)
        environment[key] = value;
    await using var cluster = await FieldOpsCluster.StartAsync(new ClusterOptions(folder, processes)
    {
        Environment = environment,
        HostAssembly = host,
    });
    var clock = Stopwatch.StartNew();
    using var sender = new JobberWebhookSender(FieldOpsCluster.JobberSecret);
    var receipts = await sender.SendAsync(webhooks, () => cluster.Running);
    WorkCheck.Require(receipts.All(r => r.Acknowledged), $"{receipts.Count(r => !r.Acknowledged)} webhooks not acknowledged ({processes} processes)");
    var states = new Dictionary<string, long>();
    while (clock.Elapsed < TimeSpan.FromSeconds(60))
    {
        await using var connection = await cluster.OpenAsync();
        states = (await connection.QueryAsync<(string State, long Count)>("SELECT state, COUNT(*) FROM inbox GROUP BY state")).ToDictionary(s => s.State, s => s.Count);
        if (states.Values.Sum() == webhooks.Count && !states.ContainsKey("new") && !states.ContainsKey("awaiting_hydration"))
            break;
        await Task.Delay(250);
    }
    var seconds = clock.Elapsed.TotalSeconds;
    var where = string.Join(", ", states.Select(s => $"{s.Key} {s.Value}"));
    WorkCheck.Require(states.GetValueOrDefault("routed") == jobs.Count && states.Values.Sum() == webhooks.Count,
        $"{processes} processes: not every job routed once within 60 s ({where})");
    WorkCheck.Require(jobs.All(j => jobber.FetchesOf(j.Id) >= 1), $"{processes} processes: a job was routed without a fetch");
    return (jobber.Fetches, jobs.Count, webhooks.Count, seconds);
}
