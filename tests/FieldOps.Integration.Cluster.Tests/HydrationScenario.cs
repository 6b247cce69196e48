using System.Globalization;
using System.Text.Json.Nodes;
using Dapper;
using FieldOps.Integration.Testing.MultiProcess;

namespace FieldOps.Integration.Cluster.Tests;

/// <summary>
/// Issue 23's workload: thin Jobber <c>JOB_CLOSED</c> webhooks (only the job's id), as bursts of updates to one job
/// followed by single updates, for real workers that hydrate each job from a <see cref="JobberApiStandIn"/>. A burst's
/// webhooks are consecutive, so the sender posts them at once, round-robin over the workers.
/// </summary>
internal static class HydrationScenario
{
    /// <summary>One job of the run: its Jobber id, its number (what the flow's effects are keyed by), and its webhooks.</summary>
    public sealed record Job(string Id, string Number, IReadOnlyList<string> Webhooks);

    /// <summary>
    /// <paramref name="bursts"/> jobs with <paramref name="burstSize"/> webhooks each, then <paramref name="singles"/>
    /// jobs with one; each job's record is served by <paramref name="api"/>. <paramref name="run"/> keeps runs apart.
    /// </summary>
    public static IReadOnlyList<Job> Jobs(JobberApiStandIn api, int bursts, int burstSize, int singles, int run = 0)
    {
        var hydrated = ClusterMappings.JobClosedWebhooks(bursts + singles, run);
        var jobs = new List<Job>();
        for (var n = 0; n < hydrated.Count; n++)
        {
            var body = JsonNode.Parse(hydrated[n].Body)!.AsObject();
            var record = body["record"]!;
            api.Serve("job", hydrated[n].JobId, record);
            body.Remove("record");
            var at = DateTimeOffset.Parse(body["data"]!["webHookEvent"]!["occurredAt"]!.GetValue<string>(), CultureInfo.InvariantCulture);
            var count = n < bursts ? burstSize : 1;
            var webhooks = Enumerable.Range(0, count).Select(k =>
            {
                var thin = body.DeepClone();
                thin["data"]!["webHookEvent"]!["occurredAt"] = at.AddSeconds(k).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);
                return thin.ToJsonString();
            }).ToList();
            jobs.Add(new Job(hydrated[n].JobId, record["jobNumber"]!.ToString(), webhooks));
        }
        return jobs;
    }

    /// <summary>
    /// Waits (bounded) until no inbox event is new or awaiting hydration and <paramref name="expectedRows"/> outbox rows
    /// are all delivered. Returns whether it got there and the state counts.
    /// </summary>
    public static async Task<(bool Done, string Where)> WaitSettledAsync(FieldOpsCluster cluster, int expectedRows, TimeSpan timeout)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var where = "";
        while (clock.Elapsed < timeout)
        {
            await using var connection = await cluster.OpenAsync();
            var inbox = (await connection.QueryAsync<(string State, long Count)>("SELECT state, COUNT(*) FROM inbox GROUP BY state")).ToList();
            var outbox = (await connection.QueryAsync<(string State, long Count)>("SELECT state, COUNT(*) FROM outbox GROUP BY state")).ToList();
            where = $"inbox {string.Join(", ", inbox.Select(i => $"{i.State} {i.Count}"))}; outbox {string.Join(", ", outbox.Select(o => $"{o.State} {o.Count}"))}";
            if (inbox.All(i => i.State is not ("new" or "awaiting_hydration")) && outbox.Sum(o => o.Count) >= expectedRows && outbox.All(o => o.State == "delivered"))
                return (true, where);
            await Task.Delay(500);
        }
        return (false, where);
    }
}
