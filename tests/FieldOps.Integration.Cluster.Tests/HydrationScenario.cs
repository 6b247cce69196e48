using Dapper;
using FieldOps.Integration.Testing.MultiProcess;

namespace FieldOps.Integration.Cluster.Tests;

/// <summary>Issue 23's multi-process hydration runs (workload: <see cref="ThinJobberWebhooks"/>).</summary>
internal static class HydrationScenario
{
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
