using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Dapper;
using FieldOps.Bench;

namespace FieldOps.LoadDriver;

/// <summary>
/// What the service did, read from its store and from the stubs, checked before any figure is printed: every
/// accepted webhook routed, 13 outbox rows per job (the four shipped job-completed flows, the customer first), every row delivered, and every delivered row received by its
/// vendor — by the key that identifies it there — with no non-idempotent effect twice.
/// </summary>
internal static class DeliveryCheck
{
    public const int OperationsPerJob = 13;

    private sealed record Row(long InboxEventId, string DedupKey, string Connector, string Operation, string ObjectType, string IdempotencyKey,
        string PartitionKey, string? XrefSourceId, string State);

    /// <summary>Per job (by index): the timestamp its last operation reached its vendor.</summary>
    public static async Task<long[]> RequireDeliveredAsync(FieldOpsProcess service, VendorStubs stubs, IReadOnlyDictionary<string, int> jobIndex, long accepted)
    {
        // The vendor may see a call a moment before its completion commits: wait (bounded) for the store to agree.
        var settle = Stopwatch.StartNew();
        List<Row> rows;
        while ((rows = await ReadRowsAsync(service, jobIndex).ConfigureAwait(false)).Count(r => r.State == "delivered") < jobIndex.Count * OperationsPerJob
               && settle.Elapsed < TimeSpan.FromSeconds(15))
            await Task.Delay(100).ConfigureAwait(false);
        await using var connection = await service.OpenAsync().ConfigureAwait(false);
        var inbox = (await connection.QueryAsync<(string DedupKey, string State)>("SELECT dedup_key, state FROM inbox").ConfigureAwait(false))
            .Where(i => jobIndex.ContainsKey(JobOf(i.DedupKey))).ToList();
        var states = string.Join(", ", inbox.GroupBy(i => i.State).Select(g => $"{g.Key} {g.Count()}"));
        WorkCheck.Require(inbox.Count == jobIndex.Count && accepted == jobIndex.Count,
            $"{accepted} webhooks accepted, {inbox.Count} inbox events stored, {jobIndex.Count} jobs sent ({states})");
        WorkCheck.Require(inbox.All(i => i.State == "routed"), $"not every event routed: {states}");
        var delivered = rows.Count(r => r.State == "delivered");
        WorkCheck.Require(rows.Count == jobIndex.Count * OperationsPerJob && delivered == rows.Count,
            $"{rows.Count} outbox rows for {jobIndex.Count} jobs (expected {jobIndex.Count * OperationsPerJob}), {delivered} delivered: " +
            string.Join(", ", rows.GroupBy(r => $"{r.Connector}/{r.Operation} {r.State}").Select(g => $"{g.Key} {g.Count()}")));

        var last = new long[jobIndex.Count];
        var missing = new List<string>();
        foreach (var row in rows)
        {
            var key = EffectKey(row);
            if (!stubs.Effects.TryGetValue(key, out var effect))
            {
                missing.Add(key);
                continue;
            }
            var job = jobIndex[JobOf(row.DedupKey)];
            last[job] = Math.Max(last[job], effect.FirstAt);
        }
        WorkCheck.Require(missing.Count == 0, $"{missing.Count} delivered rows never reached their vendor, e.g. {string.Join(", ", missing.Take(3))}");
        WorkCheck.Require(stubs.Effects.Count == rows.Count,
            $"the vendors saw {stubs.Effects.Count} distinct effects for {rows.Count} delivered rows");
        var repeated = stubs.Effects.Where(e => e.Value.Count > 1 && VendorStubs.NonIdempotentKinds.Any(k => e.Key.StartsWith(k + ":", StringComparison.Ordinal))).ToList();
        WorkCheck.Require(repeated.Count == 0, $"{repeated.Count} non-idempotent effects happened more than once, e.g. {repeated.FirstOrDefault().Key}");
        return last;
    }

    /// <summary>Where the work stands, for a failure message: inbox and outbox rows by state.</summary>
    public static async Task<string> DescribeAsync(FieldOpsProcess service)
    {
        await using var connection = await service.OpenAsync().ConfigureAwait(false);
        var inbox = await connection.QueryAsync<(string, long)>("SELECT state, COUNT(*) FROM inbox GROUP BY state").ConfigureAwait(false);
        var outbox = await connection.QueryAsync<(string, string, long)>("SELECT connector, state, COUNT(*) FROM outbox GROUP BY connector, state").ConfigureAwait(false);
        var dead = await connection.QueryAsync<(string, string, string?)>(
            "SELECT connector, object_type, MIN(dead_reason) FROM outbox WHERE state = 'dead' GROUP BY connector, object_type").ConfigureAwait(false);
        return "inbox " + string.Join(", ", inbox.Select(i => $"{i.Item1} {i.Item2}")) + "; outbox " + string.Join(", ", outbox.Select(o => $"{o.Item1} {o.Item2} {o.Item3}"))
            + string.Concat(dead.Select(d => $"; dead {d.Item1} {d.Item2}: {d.Item3}"));
    }

    private static async Task<List<Row>> ReadRowsAsync(FieldOpsProcess service, IReadOnlyDictionary<string, int> jobIndex)
    {
        await using var connection = await service.OpenAsync().ConfigureAwait(false);
        return (await connection.QueryAsync<Row>(
            "SELECT o.inbox_event_id AS InboxEventId, i.dedup_key AS DedupKey, o.connector AS Connector, o.operation AS Operation, o.object_type AS ObjectType, " +
            "o.idempotency_key AS IdempotencyKey, o.partition_key AS PartitionKey, o.xref_source_id AS XrefSourceId, o.state AS State " +
            "FROM outbox o JOIN inbox i ON i.id = o.inbox_event_id").ConfigureAwait(false)).Where(r => jobIndex.ContainsKey(JobOf(r.DedupKey))).ToList();
    }

    /// <summary>How many calls repeated an idempotent effect (harmless updates; reported, not failed).</summary>
    public static int Repeats(VendorStubs stubs) => stubs.Effects.Values.Sum(e => e.Count - 1);

    // Jobber's dedup key is jobber:{accountId}:{topic}:{itemId}:{occurredAt}; the item is the job.
    private static string JobOf(string dedupKey) => dedupKey.Split(':') is { Length: > 4 } parts ? parts[3] : "";

    private static string EffectKey(Row row)
    {
        var job = JobOf(row.DedupKey);
        var client = row.PartitionKey.StartsWith("quickbooks:customer:", StringComparison.Ordinal) ? row.PartitionKey["quickbooks:customer:".Length..] : "";
        return (row.Connector, row.Operation, row.ObjectType) switch
        {
            ("salesforce", "upsert", "Account") => "sf-account:" + row.IdempotencyKey,
            ("salesforce", "upsert", "Case") => "sf-case:" + row.IdempotencyKey,
            ("salesforce", "note", _) => "sf-comment:" + job,
            ("hubspot", "upsert", "tickets") => "hs-ticket:" + row.IdempotencyKey,
            ("hubspot", "upsert", var objectType) => $"hs-{objectType}:{row.IdempotencyKey}",
            ("hubspot", "associate", _) => $"hs-assoc:{job}:contacts",
            ("hubspot", "update", _) => "hs-close:" + row.IdempotencyKey,
            ("hubspot", "note", _) => "hs-note:" + job,
            ("quickbooks", "upsert", _) => "qb-customer:" + row.XrefSourceId,
            ("quickbooks", "create", _) => "qb-invoice:" + client,
            ("quickbooks", "send", _) => "qb-send:" + client,
            ("bamboohr", "log-time", _) => "bhr:" + TimeTrackingId(row.IdempotencyKey),
            _ => $"unexpected:{row.Connector}/{row.Operation}/{row.ObjectType}",
        };
    }

    // BambooHR's timeTrackingId holds 36 characters: a longer key is cut and suffixed with a hash (the connector's rule).
    private static string TimeTrackingId(string key) =>
        key.Length <= 36 ? key : $"{key[..23]}-{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)))[..12]}";

    public static double Seconds(long from, long to) => (to - from) / (double)Stopwatch.Frequency;
}
