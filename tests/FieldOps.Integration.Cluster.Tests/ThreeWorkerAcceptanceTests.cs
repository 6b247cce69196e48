using System.Diagnostics;
using System.Text.Json.Nodes;
using Dapper;
using FieldOps.Integration.Testing.MultiProcess;
using Npgsql;
using Xunit.Abstractions;

namespace FieldOps.Integration.Cluster.Tests;

/// <summary>
/// Issue 16 item 5, the acceptance test: three real <c>fieldops</c> processes on one fresh PostgreSQL database, 5,000
/// signed Jobber webhooks spread over them, the loopback target counting effects by idempotency key; once half the
/// webhooks are acknowledged, one worker is killed with <c>kill -9</c> as soon as it holds outbox claims. Every
/// acknowledged event's operations are delivered exactly once in the store and reach the target; no note is created
/// twice; an idempotent PUT is repeated only for a row the dead worker held; each partition key's operations arrive in
/// the router's order; no claim is left.
/// </summary>
public sealed class ThreeWorkerAcceptanceTests(ITestOutputHelper output)
{
    private const int Webhooks = 5000;
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(150);

    [PostgresFact]
    public async Task Cluster_ThreeWorkers5000WebhooksOneKilledHoldingClaims_EveryAcknowledgedOperationDeliveredOnceInOrder()
    {
        var clock = Stopwatch.StartNew();
        await using var target = await EffectTarget.StartAsync(TimeSpan.FromMilliseconds(5));
        var folder = Directory.CreateTempSubdirectory("fieldops-acceptance-mappings-").FullName;
        try
        {
            var mappings = ClusterMappings.Write(folder, ClusterScenario.Flows);
            await using var cluster = await FieldOpsCluster.StartAsync(new ClusterOptions(mappings, Processes: 3)
            {
                // A source polled every second too: its clustered schedule must run on a survivor after the kill.
                Environment = new Dictionary<string, string>(target.Environment.Concat(target.PollEnvironment(TimeSpan.FromSeconds(1)))),
            });
            output.WriteLine($"3 workers ready after {clock.Elapsed.TotalSeconds:F1} s");

            var jobs = ClusterMappings.JobClosedWebhooks(Webhooks);
            using var sender = new JobberWebhookSender(FieldOpsCluster.JobberSecret);
            var sending = sender.SendAsync(jobs.Select(j => j.Body).ToList(), () => cluster.Running);
            while (sender.Acknowledged < Webhooks / 2 && !sending.IsCompleted)
                await Task.Delay(20);
            var victim = cluster.Workers[0];
            var kill = await KillHoldingClaimsAsync(cluster, victim, TimeSpan.FromSeconds(60));
            output.WriteLine($"killed {victim.Name} (pid {victim.ProcessId}) after {sender.Acknowledged} acknowledgements, {clock.Elapsed.TotalSeconds:F1} s; " +
                $"it held {kill.HeldRows.Count} outbox claims");
            Assert.True(kill.HeldRows.Count > 0, $"{victim.Name} never held an outbox claim to be killed with\n{cluster.Output}");

            var receipts = await sending;
            var acknowledged = receipts.Where(r => r.Acknowledged).Select(r => r.Index).ToList();
            output.WriteLine($"{acknowledged.Count}/{Webhooks} acknowledged by " +
                $"{string.Join(", ", receipts.GroupBy(r => r.AcknowledgedBy ?? "none").OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key} {g.Count()}"))}, " +
                $"{clock.Elapsed.TotalSeconds:F1} s");
            foreach (var failed in receipts.Where(r => !r.Acknowledged).Take(5))
                output.WriteLine($"  not acknowledged: webhook {failed.Index}: {failed.Failure}");
            // A webhook in flight at the dead worker when it died is offered to a survivor, so all are acknowledged.
            Assert.True(acknowledged.Count == Webhooks, $"only {acknowledged.Count} of {Webhooks} webhooks were acknowledged");

            var (done, where) = await ClusterScenario.WaitForDeliveriesAsync(cluster, acknowledged.Count * 2, DrainTimeout);
            output.WriteLine($"{(done ? "drained" : "NOT drained")} at {clock.Elapsed.TotalSeconds:F1} s: {where}");
            Assert.True(done, $"not every operation was delivered within {DrainTimeout}: {where}\n{cluster.Output}");

            await AssertEachOperationDeliveredOnceAsync(cluster, target, jobs, acknowledged, kill);
            var disorder = await ClusterScenario.OrderViolationsAsync(cluster, target);
            Assert.True(disorder.Count == 0, $"{disorder.Count} partition keys out of order:\n{string.Join("\n", disorder.Take(10))}");
            await AssertNoClaimLeftAsync(cluster);
            await AssertSurvivorsTookOverAsync(cluster, kill);
            output.WriteLine($"checked at {clock.Elapsed.TotalSeconds:F1} s; things repeated (idempotent, rows the dead worker held): " +
                $"{target.Effects.Where(e => e.Key.StartsWith("things:", StringComparison.Ordinal)).Sum(e => e.Value - 1)}");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>What the kill left: when, and the outbox rows the dead worker held a live claim on at that moment.</summary>
    private sealed record Kill(FieldOpsWorker Victim, DateTimeOffset At, IReadOnlyList<HeldRow> HeldRows);

    private sealed record HeldRow(string Id, string IdempotencyKey, string Operation);

    // Kills the worker as soon as it holds live outbox claims (rows leased to its instance id), then reads which rows it
    // held: only those may see a second call (an idempotent PUT whose answer it never wrote back).
    private static async Task<Kill> KillHoldingClaimsAsync(FieldOpsCluster cluster, FieldOpsWorker victim, TimeSpan patience)
    {
        var clock = Stopwatch.StartNew();
        var owner = victim.Name + ":%";
        await using var connection = await cluster.OpenAsync();
        const string Held = "FROM outbox WHERE lease_owner LIKE @owner AND lease_until > @now AND state IN ('pending', 'in_flight')";
        while (clock.Elapsed < patience && !victim.HasExited)
        {
            if (await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) " + Held, new { owner, now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() }) > 0)
            {
                // Frozen first: a claim held for a few milliseconds could be finished between this look and the kill
                // (the held set found after the kill was then empty, 1 CI run in 3). Frozen, what it holds is what it dies with.
                victim.Freeze();
                // A write-back whose COMMIT reached the database just before the freeze still completes there: seen as
                // held by the look above, it was finished by the victim itself (completed before the kill, 1 CI run).
                // Frozen, the victim sends nothing more: once none of its sessions is running a statement, what is
                // held stays held.
                await WaitUntilIdleAsync(connection, FieldOpsCluster.ApplicationNameOf(victim.Name));
                var at = DateTimeOffset.UtcNow;
                var rows = (await connection.QueryAsync<HeldRow>(
                    "SELECT id AS Id, idempotency_key AS IdempotencyKey, operation AS Operation " + Held, new { owner, now = at.ToUnixTimeMilliseconds() })).ToList();
                if (rows.Count > 0)
                {
                    victim.Kill();
                    return new Kill(victim, at, rows);
                }
                victim.Freeze(false);
            }
            await Task.Delay(5);
        }
        return new Kill(victim, DateTimeOffset.UtcNow, []);
    }

    // Until no session named <paramref name="application"/> runs a statement (at most 10 s). A session that waits for its
    // frozen client counts as idle: frozen in the middle of sending a batch (the claim pass, a write-back group), the
    // victim leaves its session 'active' until the batch's Sync comes, which it never sends — what that session did is
    // not committed and cannot change what is held (this wait timed out once in CI, session 24).
    private static async Task WaitUntilIdleAsync(NpgsqlConnection connection, string application)
    {
        for (var waited = Stopwatch.StartNew(); waited.Elapsed < TimeSpan.FromSeconds(10); await Task.Delay(20))
        {
            if (await connection.ExecuteScalarAsync<long>(
                    "SELECT COUNT(*) FROM pg_stat_activity WHERE application_name = @application AND state = 'active' " +
                    "AND wait_event_type IS DISTINCT FROM 'Client'", new { application }) == 0)
                return;
        }
        throw new TimeoutException($"sessions of {application} still running a statement 10 s after the freeze");
    }

    // In the store, one delivered row per operation of each acknowledged event; at the target, each of those effects,
    // a note (non-idempotent) exactly once, a PUT (idempotent) once unless the dead worker held its row.
    private static async Task AssertEachOperationDeliveredOnceAsync(
        FieldOpsCluster cluster, EffectTarget target, IReadOnlyList<(string JobId, string Body)> jobs, IReadOnlyList<int> acknowledged, Kill kill)
    {
        await using var connection = await cluster.OpenAsync();
        var rows = (await connection.QueryAsync<(string Key, long Rows, long Delivered)>(
            "SELECT idempotency_key, COUNT(*), COUNT(*) FILTER (WHERE state = 'delivered') FROM outbox GROUP BY idempotency_key")).ToList();
        var notOnce = rows.Where(r => r.Rows != 1 || r.Delivered != 1).Select(r => $"{r.Key}: {r.Rows} rows, {r.Delivered} delivered").ToList();
        Assert.True(notOnce.Count == 0, $"{notOnce.Count} operations not one delivered row, e.g. {string.Join(", ", notOnce.Take(5))}");

        var expected = acknowledged
            .Select(i => JsonNode.Parse(jobs[i].Body)!["record"]!["jobNumber"]!.ToString())
            .SelectMany(ClusterScenario.EffectsOf).ToList();
        Assert.Equal(expected.Count, rows.Count);
        var missing = expected.Where(e => !target.Effects.ContainsKey(e)).ToList();
        Assert.True(missing.Count == 0, $"{missing.Count} effects of acknowledged events never arrived, e.g. {string.Join(", ", missing.Take(5))}");

        var twice = target.Effects.Where(e => e.Key.StartsWith("notes:", StringComparison.Ordinal) && e.Value > 1).Select(e => $"{e.Key} x{e.Value}").ToList();
        Assert.True(twice.Count == 0, $"{twice.Count} notes created more than once, e.g. {string.Join(", ", twice.Take(5))}");
        var held = kill.HeldRows.Select(r => "things:" + r.IdempotencyKey).ToHashSet(StringComparer.Ordinal);
        var repeated = target.Effects
            .Where(e => e.Key.StartsWith("things:", StringComparison.Ordinal) && e.Value > 1 && !held.Contains(e.Key))
            .Select(e => $"{e.Key} x{e.Value}").ToList();
        Assert.True(repeated.Count == 0, $"{repeated.Count} PUTs repeated that the dead worker did not hold, e.g. {string.Join(", ", repeated.Take(5))}");
    }

    // No outbox row, hydration entity or credential is left leased once everything is delivered.
    private static async Task AssertNoClaimLeftAsync(FieldOpsCluster cluster)
    {
        await using var connection = await cluster.OpenAsync();
        Assert.Equal(0, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM outbox WHERE lease_owner IS NOT NULL OR lease_until IS NOT NULL"));
        Assert.Equal(0, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM hydration_entity"));
        Assert.Equal(0, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM credential WHERE lease_owner IS NOT NULL"));
    }

    // What moved from the dead worker to the survivors. Today: the outbox rows it held were finished by a survivor after
    // the kill (their claims expired and were taken). Assertions on other work that must move to a survivor (the
    // clustered Quartz poller, item 4) belong here, with the kill's time and victim.
    private static async Task AssertSurvivorsTookOverAsync(FieldOpsCluster cluster, Kill kill)
    {
        await using var connection = await cluster.OpenAsync();
        var ids = kill.HeldRows.Select(r => r.Id).ToArray();
        var finished = (await connection.QueryAsync<(string Id, string State, long? CompletedAt)>(
            "SELECT id, state, completed_at FROM outbox WHERE id = ANY(@ids)", new { ids })).ToList();
        Assert.Equal(ids.Length, finished.Count);
        var wrong = finished.Where(r => r.State != "delivered" || r.CompletedAt < kill.At.ToUnixTimeMilliseconds())
            .Select(r => $"{r.Id}: {r.State} at {r.CompletedAt}").ToList();
        Assert.True(wrong.Count == 0, $"rows {kill.Victim.Name} held were not finished by a survivor after the kill: {string.Join(", ", wrong.Take(5))}");

        // The poller is on a survivor: the source's poll ran after the kill, by a running worker (if the dead worker held
        // the job, it moved within the cluster's check-in window; ClusteredScheduleTests kills the poller itself).
        var killedAt = kill.At.ToUnixTimeMilliseconds();
        (string? By, long? At) run = default;
        for (var waited = Stopwatch.StartNew(); waited.Elapsed < TimeSpan.FromSeconds(45); await Task.Delay(250))
        {
            run = await connection.QuerySingleOrDefaultAsync<(string? By, long? At)>(
                "SELECT last_run_by, last_run_at FROM source_watermark WHERE source = 'acme'");
            if (run.At > killedAt && cluster.WorkerOf(run.By) is { HasExited: false })
                break;
        }
        Assert.True(run.At > killedAt && cluster.WorkerOf(run.By) is { HasExited: false },
            $"no survivor polled source acme after the kill (last run by {run.By} at {run.At}, killed at {killedAt})");
    }
}
