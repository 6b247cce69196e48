using System.Diagnostics;
using Dapper;
using FieldOps.Integration.Testing.MultiProcess;
using Xunit.Abstractions;

namespace FieldOps.Integration.Cluster.Tests;

/// <summary>
/// Issue 23 item 4: three real <c>fieldops</c> processes on one PostgreSQL database hydrate thin Jobber webhooks from a
/// loopback Jobber stand-in that counts GraphQL queries per job. 300 webhooks (50 bursts of five updates to one job,
/// then 50 single updates) go round-robin over the workers, so a burst reaches every worker. After the first 150, one
/// worker is killed with <c>kill -9</c> while it holds a hydration lease; the other 150 go to the survivors. Each job is fetched once; a job the dead worker held is fetched by a
/// survivor only after its lease ran out; every job is routed once (one routed event, the burst's others stale
/// duplicates) and its operations delivered once.
/// </summary>
public sealed class SharedHydrationClusterTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(4);

    [PostgresFact]
    public async Task Cluster_ThreeWorkers300ThinWebhooksInBurstsOneKilledHoldingALease_EachJobFetchedOnceAndRoutedOnce()
    {
        var clock = Stopwatch.StartNew();
        await using var target = await EffectTarget.StartAsync(TimeSpan.FromMilliseconds(5));
        // A query takes 1.5 s, so a freshly claimed job is still being fetched when its worker dies.
        await using var jobber = await JobberApiStandIn.StartAsync(TimeSpan.FromMilliseconds(1500));
        var jobs = ThinJobberWebhooks.Jobs(jobber, bursts: 50, burstSize: 5, singles: 50);
        var webhooks = jobs.SelectMany(j => j.Webhooks).ToList();
        Assert.Equal(300, webhooks.Count);
        var folder = Directory.CreateTempSubdirectory("fieldops-hydration-mappings-").FullName;
        try
        {
            var environment = new Dictionary<string, string>(target.Environment);
            foreach (var (key, value) in jobber.Environment)
                environment[key] = value;
            environment["Hydration__Debounce"] = "00:00:03";
            environment["Hydration__MaxDelay"] = "00:00:30";
            environment["Hydration__LeaseDuration"] = Lease.ToString();
            environment["Hydration__RetryDelay"] = "00:00:00.500";
            await using var cluster = await FieldOpsCluster.StartAsync(new ClusterOptions(ClusterMappings.Write(folder, ClusterScenario.Flows), 3)
            {
                Environment = environment,
            });
            output.WriteLine($"3 workers ready after {clock.Elapsed.TotalSeconds:F1} s");

            // The first 30 jobs' webhooks (150), then the kill as soon as the victim holds a fresh lease, then the rest
            // (150) to the survivors: the kill falls mid-run, with webhooks still coming.
            using var sender = new JobberWebhookSender(FieldOpsCluster.JobberSecret);
            var before = jobs.Take(30).SelectMany(j => j.Webhooks).ToList();
            var receipts = (await sender.SendAsync(before, () => cluster.Running)).ToList();
            var victim = cluster.Workers[0];
            var orphans = await KillHoldingALeaseAsync(cluster, victim, TimeSpan.FromSeconds(60));
            output.WriteLine($"killed {victim.Name} after {sender.Acknowledged} acknowledgements, {clock.Elapsed.TotalSeconds:F1} s; it held {orphans.Count} leases: " +
                string.Join(", ", orphans.Select(o => $"{o.EntityId} until {o.LeaseUntil:HH:mm:ss.fff}")));
            Assert.True(orphans.Count > 0, $"{victim.Name} never held a fresh hydration lease to be killed with\n{cluster.Output}");
            receipts.AddRange(await sender.SendAsync(jobs.Skip(30).SelectMany(j => j.Webhooks).ToList(), () => cluster.Running));
            var unacknowledged = receipts.Where(r => !r.Acknowledged).ToList();
            Assert.True(unacknowledged.Count == 0, $"{unacknowledged.Count} webhooks not acknowledged, e.g. {unacknowledged.FirstOrDefault()?.Failure}");
            Assert.True(receipts.Skip(before.Count).All(r => r.AcknowledgedBy != victim.Name), "a webhook sent after the kill was acknowledged by the dead worker");

            var (done, where) = await HydrationScenario.WaitSettledAsync(cluster, jobs.Count * 2, TimeSpan.FromSeconds(120));
            output.WriteLine($"{(done ? "settled" : "NOT settled")} at {clock.Elapsed.TotalSeconds:F1} s: {where}; {jobber.Fetches} GraphQL queries for {jobs.Count} jobs");
            Assert.True(done, $"not settled: {where}\n{cluster.Output}");

            // Fetches per job: one per burst; a job the dead worker held may have had its query sent before it died,
            // and then a survivor's, which must come after the lease ran out.
            var fetches = jobber.FetchesById;
            var orphaned = orphans.ToDictionary(o => o.EntityId, o => o.LeaseUntil, StringComparer.Ordinal);
            var wrong = jobs.Where(j => !orphaned.ContainsKey(j.Id) && jobber.FetchesOf(j.Id) != 1)
                .Select(j => $"{j.Id} ({j.Webhooks.Count} webhooks): {jobber.FetchesOf(j.Id)} fetches").ToList();
            Assert.True(wrong.Count == 0, $"{wrong.Count} jobs not fetched exactly once:\n{string.Join("\n", wrong.Take(10))}");
            foreach (var (id, leaseUntil) in orphaned)
            {
                var times = fetches.GetValueOrDefault(id) ?? [];
                Assert.True(times.Count is 1 or 2, $"{id}, held by the dead worker: {times.Count} fetches");
                Assert.True(times[^1] >= leaseUntil.AddMilliseconds(-50),
                    $"{id}: the survivor fetched at {times[^1]:HH:mm:ss.fff}, before the dead worker's lease ran out at {leaseUntil:HH:mm:ss.fff}");
            }

            // Every event routed once: per job one routed event and its two operations, each delivered once.
            await using var connection = await cluster.OpenAsync();
            var states = (await connection.QueryAsync<(string State, long Count)>("SELECT state, COUNT(*) FROM inbox GROUP BY state"))
                .ToDictionary(s => s.State, s => s.Count);
            Assert.Equal(jobs.Count, states.GetValueOrDefault("routed"));
            Assert.Equal(webhooks.Count - jobs.Count, states.GetValueOrDefault("stale"));
            Assert.Equal(webhooks.Count, states.Values.Sum());
            Assert.Equal(0, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM hydration_entity")); // no claim left behind
            var rows = (await connection.QueryAsync<(string Key, long Rows, long Events)>(
                "SELECT idempotency_key, COUNT(*), COUNT(DISTINCT inbox_event_id) FROM outbox GROUP BY idempotency_key")).ToList();
            Assert.Equal(jobs.Count * 2, rows.Count);
            Assert.All(rows, r => Assert.True(r.Rows == 1 && r.Events == 1, $"{r.Key}: {r.Rows} rows from {r.Events} events"));
            var missing = jobs.SelectMany(j => ClusterScenario.EffectsOf(j.Number)).Where(e => !target.Effects.ContainsKey(e)).ToList();
            Assert.True(missing.Count == 0, $"{missing.Count} effects never arrived, e.g. {string.Join(", ", missing.Take(5))}");
            var twice = target.Effects.Where(e => e.Key.StartsWith("notes:", StringComparison.Ordinal) && e.Value > 1).Select(e => $"{e.Key} x{e.Value}").ToList();
            Assert.True(twice.Count == 0, $"{twice.Count} notes created more than once, e.g. {string.Join(", ", twice.Take(5))}");
            output.WriteLine($"fetches per webhook {(double)jobber.Fetches / webhooks.Count:F3}, per job {(double)jobber.Fetches / jobs.Count:F3}; {clock.Elapsed.TotalSeconds:F1} s");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private sealed record Orphan(string EntityId, DateTimeOffset LeaseUntil);

    // Kills the worker as soon as it holds a lease claimed within the last half second (its query, 1.5 s, is still
    // in flight), then reads the leases it left: those are what a survivor must take over.
    private static async Task<List<Orphan>> KillHoldingALeaseAsync(FieldOpsCluster cluster, FieldOpsWorker victim, TimeSpan patience)
    {
        var clock = Stopwatch.StartNew();
        var owner = victim.Name + ":%";
        await using var connection = await cluster.OpenAsync();
        while (clock.Elapsed < patience)
        {
            var fresh = DateTimeOffset.UtcNow.Add(Lease).AddMilliseconds(-500).ToUnixTimeMilliseconds();
            if (await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM hydration_entity WHERE lease_owner LIKE @owner AND lease_until > @fresh",
                    new { owner, fresh }) > 0)
            {
                victim.Kill();
                break;
            }
            await Task.Delay(20);
        }
        if (!victim.HasExited)
            return [];
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        return (await connection.QueryAsync<(string EntityId, long LeaseUntil)>(
                "SELECT entity_id, lease_until FROM hydration_entity WHERE lease_owner LIKE @owner AND lease_until > @now", new { owner, now }))
            .Select(r => new Orphan(r.EntityId, DateTimeOffset.FromUnixTimeMilliseconds(r.LeaseUntil))).ToList();
    }
}
