using System.Diagnostics;
using System.Globalization;
using System.Net;
using FieldOps.Integration.Host.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Xunit.Abstractions;

namespace FieldOps.Integration.Host.Tests.Ops;

/// <summary>
/// The speed line: with 100,000 dead letters in SQLite every page answers in under 200 ms (grouped and paged
/// in the database). The figures are printed; the median of five requests after one warm-up is what is asserted — the
/// best of up to six such rounds, since other processes on a shared 2-core machine can slow one round tenfold.
/// </summary>
[Collection(OpsTimingCollection.Name)]
public sealed class OpsSpeedTests(ITestOutputHelper output) : IDisposable
{
    private const int DeadLetters = 100_000;
    private const double BoundMs = 200;
    private const int MaxRounds = 6;
    private static readonly string[] Connectors = ["quickbooks", "hubspot", "salesforce", "bamboohr"];
    private static readonly string[] Flows = ["invoice-quickbooks", "customer-hubspot", "case-salesforce", "hours-bamboohr", "customer-quickbooks"];
    private static readonly string[] Classes = ["Permanent", "Transient", "OutcomeUnknown"];
    private readonly FieldOpsFactory _factory = new(OpsClient.Settings);

    [Fact]
    public async Task EveryPage_At100000DeadLetters_AnswersUnder200Ms()
    {
        using var client = new OpsClient(_factory);
        (await client.LoginAsync()).Dispose();
        await SeedAsync(_factory.DatabasePath);
        Assert.Contains($"<td>acme</td><td>hmac</td><td>{DeadLetters}</td>", await client.Http.GetStringAsync("/ops"), StringComparison.Ordinal);
        Assert.Contains($"({DeadLetters} in {Connectors.Length * Flows.Length * Classes.Length} groups)", await client.Http.GetStringAsync("/ops"), StringComparison.Ordinal);

        string[] pages =
        [
            "/ops", "/ops?page=2", "/ops/deadletters", "/ops/deadletters?connector=hubspot&flow=customer-hubspot&class=Transient",
            "/ops/deadletters?before=50000", "/ops/events?q=77777", "/ops/events?q=T-42000", "/ops/events?q=client-31337", "/ops/audit",
            "/ops/deadletters/replay?connector=quickbooks&flow=invoice-quickbooks&class=Permanent", "/ops/deadletters/dl-12345/discard",
        ];
        var slow = new List<string>();
        foreach (var page in pages)
        {
            (await client.Http.GetAsync(page)).Dispose();
            // The machine is shared (CI runs every test project at once): a round that other processes slowed is measured
            // again, up to MaxRounds; the page fails only when no round's median is under the bound.
            var best = double.MaxValue;
            var worst = 0.0;
            var rounds = 0;
            while (rounds < MaxRounds && best >= BoundMs)
            {
                rounds++;
                var times = new List<double>();
                for (var i = 0; i < 5; i++)
                {
                    var watch = Stopwatch.StartNew();
                    using var response = await client.Http.GetAsync(page);
                    await response.Content.ReadAsStringAsync();
                    times.Add(watch.Elapsed.TotalMilliseconds);
                    Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                }
                times.Sort();
                best = Math.Min(best, times[2]);
                worst = Math.Max(worst, times[^1]);
            }
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{page}: median {best:0.0} ms (best of {rounds} round(s) of 5), max {worst:0.0} ms, load {LoadAverage()}"));
            if (best >= BoundMs)
                slow.Add($"{page} {best:0} ms");
        }
        Assert.Empty(slow);
    }

    /// <summary>100,000 events, each with one dead letter, in one transaction with prepared statements.</summary>
    private static async Task SeedAsync(string databasePath)
    {
        await using var connection = new SqliteConnection($"Data Source={databasePath};Pooling=False");
        await connection.OpenAsync();
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync();
        await using var inbox = connection.CreateCommand();
        inbox.CommandText = "INSERT INTO inbox (id, source, dedup_key, received_at, headers, body, state) VALUES ($id, 'acme', $id, $at, '{}', X'7B7D', 'routed')";
        await using var outbox = connection.CreateCommand();
        outbox.CommandText =
            "INSERT INTO outbox (id, seq, inbox_event_id, flow, operation_key, mapping_revision, connector, operation, object_type, idempotency_key, " +
            "partition_key, payload, source_file, state, attempts, created_at, next_attempt_at, completed_at, dead_reason, last_outcome, target_id, xref_source_id) " +
            "VALUES ($oid, $id, $id, $flow, 'op', 'rev1', $connector, 'upsert', 'Thing', $oid, $oid, '{\"fields\":{}}', 'mappings/flows/x.yaml', 'dead', 3, $at, $at, $at, " +
            "$reason, $class, $target, $client)";
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var p = new Dictionary<string, SqliteParameter>();
        foreach (var name in new[] { "$id", "$at" })
            p["i" + name] = inbox.Parameters.Add(name, SqliteType.Integer);
        foreach (var name in new[] { "$oid", "$id", "$flow", "$connector", "$at", "$class", "$reason", "$target", "$client" })
            p["o" + name] = outbox.Parameters.Add(name, name is "$id" or "$at" ? SqliteType.Integer : SqliteType.Text);
        inbox.Transaction = outbox.Transaction = transaction;
        for (var i = 1; i <= DeadLetters; i++)
        {
            var at = now - (DeadLetters - i) * 1000L;
            p["i$id"].Value = i;
            p["i$at"].Value = at;
            await inbox.ExecuteNonQueryAsync();
            var group = i % (Connectors.Length * Flows.Length * Classes.Length);
            p["o$oid"].Value = $"dl-{i}";
            p["o$id"].Value = i;
            p["o$flow"].Value = Flows[group / Classes.Length % Flows.Length];
            p["o$connector"].Value = Connectors[group / (Classes.Length * Flows.Length)];
            p["o$at"].Value = at;
            p["o$class"].Value = Classes[group % Classes.Length];
            p["o$reason"].Value = $"{Classes[group % Classes.Length]}: 400 ValidationError: field {i % 97} is not valid";
            p["o$target"].Value = i % 1000 == 0 ? $"T-{i}" : (object)DBNull.Value;
            p["o$client"].Value = $"client-{i}";
            await outbox.ExecuteNonQueryAsync();
        }
        await transaction.CommitAsync();
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "unknown";

    public void Dispose() => _factory.Dispose();
}
