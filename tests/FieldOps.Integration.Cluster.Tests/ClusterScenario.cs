using Dapper;
using FieldOps.Integration.Testing.MultiProcess;

namespace FieldOps.Integration.Cluster.Tests;

/// <summary>
/// The multi-process scenario of issue 16: real workers on one database, signed Jobber webhooks spread over them, one
/// worker killed with <c>kill -9</c> midway; then what the target received is checked against what the store holds.
/// Each routed job plans two operations through the generic HTTP connector (<see cref="ClusterFlows"/>).
/// </summary>
internal static class ClusterScenario
{
    /// <summary>The flow every worker runs (<see cref="ClusterFlows.JobCompleted"/>).</summary>
    public static IReadOnlyDictionary<string, string> Flows => ClusterFlows.JobCompleted;

    /// <summary>The effects the target must have for job <paramref name="jobNumber"/>.</summary>
    public static IEnumerable<string> EffectsOf(string jobNumber) => ClusterFlows.EffectsOf(jobNumber);

    private sealed record Row(string PartitionKey, long Seq, string Operation, string IdempotencyKey, string State);

    /// <summary>Waits (bounded) until no outbox row is left undelivered and every routable event is routed; returns the rows.</summary>
    public static async Task<(bool Done, string Where)> WaitForDeliveriesAsync(FieldOpsCluster cluster, int expectedRows, TimeSpan timeout)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var where = "";
        while (clock.Elapsed < timeout)
        {
            await using var connection = await cluster.OpenAsync();
            var inbox = (await connection.QueryAsync<(string State, long Count)>("SELECT state, COUNT(*) FROM inbox GROUP BY state")).ToList();
            var outbox = (await connection.QueryAsync<(string State, long Count)>("SELECT state, COUNT(*) FROM outbox GROUP BY state")).ToList();
            where = $"inbox {string.Join(", ", inbox.Select(i => $"{i.State} {i.Count}"))}; outbox {string.Join(", ", outbox.Select(o => $"{o.State} {o.Count}"))}";
            var delivered = outbox.Where(o => o.State == "delivered").Sum(o => o.Count);
            if (delivered >= expectedRows && outbox.All(o => o.State == "delivered") && inbox.All(i => i.State != "new"))
                return (true, where);
            await Task.Delay(500);
        }
        return (false, where);
    }

    /// <summary>How many outbox rows <paramref name="worker"/> holds a lease on now (claimed, not yet written back).</summary>
    public static async Task<long> LeasesHeldAsync(FieldOpsCluster cluster, FieldOpsWorker worker)
    {
        await using var connection = await cluster.OpenAsync();
        return await connection.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM outbox WHERE lease_owner LIKE @owner AND state IN ('pending', 'in_flight')", new { owner = worker.Name + ":%" });
    }

    /// <summary>Per partition key: the target's first-arrival order must be the outbox's <c>seq</c> order. Returns the violations.</summary>
    public static async Task<List<string>> OrderViolationsAsync(FieldOpsCluster cluster, EffectTarget target)
    {
        await using var connection = await cluster.OpenAsync();
        var rows = (await connection.QueryAsync<Row>(
            "SELECT partition_key AS PartitionKey, seq AS Seq, operation AS Operation, idempotency_key AS IdempotencyKey, state AS State " +
            "FROM outbox ORDER BY partition_key, seq")).ToList();
        var violations = new List<string>();
        foreach (var partition in rows.GroupBy(r => r.PartitionKey))
        {
            var expected = partition.Select(r => (r.Operation == "note" ? "notes:" : "things:") + r.IdempotencyKey).ToList();
            var arrived = target.ArrivalOrder(partition.Key);
            if (!expected.SequenceEqual(arrived))
            {
                var at = Enumerable.Range(0, Math.Min(expected.Count, arrived.Count)).FirstOrDefault(i => expected[i] != arrived[i]);
                violations.Add($"{partition.Key}: {expected.Count} rows, {arrived.Count} arrivals, first difference at {at}: " +
                    $"expected {expected.ElementAtOrDefault(at)}, arrived {arrived.ElementAtOrDefault(at)}");
            }
        }
        return violations;
    }
}
