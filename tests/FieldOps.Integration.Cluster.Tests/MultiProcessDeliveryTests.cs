using System.Diagnostics;
using System.Text.Json.Nodes;
using FieldOps.Integration.Testing.MultiProcess;
using Xunit.Abstractions;

namespace FieldOps.Integration.Cluster.Tests;

/// <summary>
/// Issue 16 item 5: real <c>fieldops</c> processes on one PostgreSQL database, signed Jobber webhooks spread over them,
/// one killed with <c>kill -9</c> midway. Every acknowledged event's operations reach the target, no note is created
/// twice, and each partition key's operations arrive in the order the router planned them.
/// </summary>
public sealed class MultiProcessDeliveryTests(ITestOutputHelper output)
{
    [PostgresFact]
    public Task Cluster_TwoWorkersOneKilledMidway_EveryAcknowledgedEventDeliveredOnceInOrder() =>
        RunAsync(processes: 2, webhooks: 300, killAfter: 120, timeout: TimeSpan.FromSeconds(90));

    private async Task RunAsync(int processes, int webhooks, int killAfter, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        await using var target = await EffectTarget.StartAsync(TimeSpan.FromMilliseconds(5));
        var folder = Directory.CreateTempSubdirectory("fieldops-mp-mappings-").FullName;
        try
        {
            var mappings = ClusterMappings.Write(folder, ClusterScenario.Flows);
            await using var cluster = await FieldOpsCluster.StartAsync(new ClusterOptions(mappings, processes)
            {
                Environment = new Dictionary<string, string>(target.Environment),
            });
            output.WriteLine($"{processes} workers ready after {clock.Elapsed.TotalSeconds:F1} s");
            var jobs = ClusterMappings.JobClosedWebhooks(webhooks);
            using var sender = new JobberWebhookSender(FieldOpsCluster.JobberSecret);
            var sending = sender.SendAsync(jobs.Select(j => j.Body).ToList(), () => cluster.Running);
            while (sender.Acknowledged < killAfter && !sending.IsCompleted)
                await Task.Delay(20);
            // The kill falls while the victim holds claims (bounded wait): their leases must be taken over by a survivor.
            var victim = cluster.Workers[0];
            var held = 0L;
            for (var waited = Stopwatch.StartNew(); waited.Elapsed < TimeSpan.FromSeconds(30); await Task.Delay(10))
            {
                if ((held = await ClusterScenario.LeasesHeldAsync(cluster, victim)) > 0)
                    break;
            }
            victim.Kill();
            output.WriteLine($"killed {victim.Name} (pid {victim.ProcessId}) holding {held} outbox leases after {sender.Acknowledged} acknowledgements, {clock.Elapsed.TotalSeconds:F1} s");
            var receipts = await sending;
            var acknowledged = receipts.Where(r => r.Acknowledged).Select(r => r.Index).ToList();
            output.WriteLine($"{acknowledged.Count}/{webhooks} acknowledged by {string.Join(", ", receipts.GroupBy(r => r.AcknowledgedBy ?? "none").Select(g => $"{g.Key} {g.Count()}"))}, {clock.Elapsed.TotalSeconds:F1} s");
            foreach (var failed in receipts.Where(r => !r.Acknowledged).Take(5))
                output.WriteLine($"  not acknowledged: webhook {failed.Index}: {failed.Failure}");
            Assert.True(held > 0, $"{victim.Name} held no claim when it was killed: the run did not test a lease taken over");
            Assert.True(acknowledged.Count >= webhooks * 9 / 10, $"only {acknowledged.Count} of {webhooks} webhooks were acknowledged");

            var (done, where) = await ClusterScenario.WaitForDeliveriesAsync(cluster, acknowledged.Count * 2, timeout);
            output.WriteLine($"{(done ? "drained" : "NOT drained")} at {clock.Elapsed.TotalSeconds:F1} s: {where}");
            Assert.True(done, $"not every operation was delivered within {timeout}: {where}\n{cluster.Output}");
            var missing = acknowledged
                .Select(i => JsonNode.Parse(jobs[i].Body)!["record"]!["jobNumber"]!.ToString())
                .SelectMany(ClusterScenario.EffectsOf)
                .Where(e => !target.Effects.ContainsKey(e)).ToList();
            Assert.True(missing.Count == 0, $"{missing.Count} effects of acknowledged events never arrived, e.g. {string.Join(", ", missing.Take(5))}");
            var twice = target.Effects.Where(e => e.Key.StartsWith("notes:", StringComparison.Ordinal) && e.Value > 1).Select(e => $"{e.Key} x{e.Value}").ToList();
            Assert.True(twice.Count == 0, $"{twice.Count} notes created more than once, e.g. {string.Join(", ", twice.Take(5))}");
            var disorder = await ClusterScenario.OrderViolationsAsync(cluster, target);
            Assert.True(disorder.Count == 0, $"{disorder.Count} partition keys out of order:\n{string.Join("\n", disorder.Take(10))}");
            output.WriteLine($"things repeated (idempotent, harmless): {target.Effects.Where(e => e.Key.StartsWith("things:", StringComparison.Ordinal)).Sum(e => e.Value - 1)}");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
