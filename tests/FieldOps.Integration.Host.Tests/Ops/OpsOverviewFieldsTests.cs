using System.Globalization;
using System.Text.RegularExpressions;
using Dapper;
using FieldOps.Connectors.HubSpot;
using FieldOps.Integration.Host.Tests.Admin;
using FieldOps.Integration.Host.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace FieldOps.Integration.Host.Tests.Ops;

/// <summary>
/// Issue 19 item 2, field by field: each source's webhooks received, last event, watermark, lag and last error; each
/// connector's breaker, rate-limit headroom, backlog, oldest pending age, delivered and failed in the last hour, dead
/// and blocked rows, and token state. Each assertion reads the cell of its own row, so a missing field fails it.
/// </summary>
public sealed partial class OpsOverviewFieldsTests : IDisposable
{
    private readonly FieldOpsFactory _factory = new(new Dictionary<string, string?>(OpsClient.Settings)
    {
        // Two running connectors: HubSpot (a fixed limit, vendor headers) and the generic http one (no fixed limit).
        ["Connectors:HubSpot:BaseUrl"] = "http://127.0.0.1:9",
        ["Connectors:HubSpot:AccessToken"] = "pat-na1-test",
        ["Connectors:Http:Endpoints:crm:Url"] = "http://127.0.0.1:9/crm",
    });

    [Fact]
    public async Task Overview_ShowsEverySourceAndConnectorFieldInItsRow()
    {
        using var client = new OpsClient(_factory);
        (await client.LoginAsync()).Dispose();
        var now = DateTimeOffset.UtcNow;
        var lastEvent = now.AddMinutes(-7);
        var watermark = now.AddHours(-3);
        var (eventId, _) = await DeadLetterSeed.AddAsync(_factory.DatabasePath); // connector "offline": 1 dead, 1 blocked behind it
        await using (var db = new SqliteConnection($"Data Source={_factory.DatabasePath};Pooling=False"))
        {
            foreach (var at in new[] { now.AddHours(-5), now.AddHours(-1), lastEvent })
            {
                await db.ExecuteAsync("INSERT INTO inbox (source, dedup_key, received_at, headers, body, state) VALUES ('legacy-crm', @key, @at, '{}', X'7B7D', 'routed')",
                    new { key = Guid.NewGuid().ToString("N"), at = at.ToUnixTimeMilliseconds() });
            }
            await db.ExecuteAsync(
                "INSERT INTO source_watermark (source, watermark, last_run_at, last_error, last_error_at, records_total, updated_at) " +
                "VALUES ('legacy-crm', @watermark, @now, 'HTTP 503 from /changes', @now, 42, @now)",
                new { watermark = watermark.ToUnixTimeMilliseconds(), now = now.ToUnixTimeMilliseconds() });
            await db.ExecuteAsync(
                "INSERT INTO outbox (id, seq, inbox_event_id, flow, operation_key, mapping_revision, connector, operation, object_type, idempotency_key, " +
                "partition_key, payload, source_file, state, attempts, created_at, next_attempt_at) VALUES ('waiting-1', 1000, @eventId, 'f', 'op', 'rev1', 'offline', " +
                "'upsert', 'Thing', 'k-waiting', 'p-waiting', '{}', 'mappings/flows/x.yaml', 'pending', 0, @created, @created)",
                new { eventId, created = now.AddHours(-2).ToUnixTimeMilliseconds() });
            foreach (var outcome in new[] { "Delivered", "Delivered", "Transient" })
            {
                await db.ExecuteAsync("INSERT INTO outbox_attempt (outbox_id, attempt, started_at, duration_ms, outcome) VALUES ('waiting-1', 1, @at, 5, @outcome)",
                    new { at = now.AddMinutes(-10).ToUnixTimeMilliseconds(), outcome });
            }
            foreach (var (connection, expires, broken) in new (string, DateTimeOffset, string?)[]
            {
                ("hubspot:default", now.AddHours(2), null), ("salesforce:default", now.AddMinutes(5), null),
                ("quickbooks:default", now.AddMinutes(30), "invalid_grant: the refresh token was revoked"),
            })
            {
                await db.ExecuteAsync("INSERT INTO credential (connection, expires_at, broken_reason, updated_at) VALUES (@connection, @expires, @broken, @now)",
                    new { connection, expires = expires.ToUnixTimeMilliseconds(), broken, now = now.ToUnixTimeMilliseconds() });
            }
        }
        using (var answer = new HttpResponseMessage(System.Net.HttpStatusCode.OK))
        {
            // What HubSpotAuthHandler hands the limits after a real call: the headers of HubSpot's answer.
            answer.Headers.Add("X-HubSpot-RateLimit-Max", "100");
            answer.Headers.Add("X-HubSpot-RateLimit-Remaining", "87");
            answer.Headers.Add("X-HubSpot-RateLimit-Interval-Milliseconds", "10000");
            _factory.Services.GetRequiredService<HubSpotRateLimits>().Observe(answer);
        }

        var html = await client.Http.GetStringAsync("/ops");

        var source = Cells(html, "legacy-crm");
        Assert.Equal("3", source[2]);                                        // webhooks (events) received
        Assert.Equal(Stamp(lastEvent), source[3]);                           // last event
        Assert.Equal(Stamp(watermark), source[5]);                           // watermark
        Assert.Matches("^3 h [01] min$", source[6]);                         // lag
        Assert.Contains("poll: HTTP 503 from /changes", source[9], StringComparison.Ordinal); // last error

        var offline = Cells(html, "offline");
        Assert.Equal("not running here", offline[1]);                        // breaker
        Assert.Equal("unknown (not running here)", offline[2]);              // rate-limit headroom
        Assert.Equal("1", offline[3]);                                       // backlog
        Assert.Matches("^2 h [01] min$", offline[4]);                        // oldest pending age
        Assert.Equal("<strong>2</strong>", offline[5]);                      // delivered last hour
        Assert.Equal("<strong>1</strong>", offline[6]);                      // failed last hour
        Assert.Equal("<strong>1</strong>", offline[7]);                      // dead letters
        Assert.Equal("<strong>1</strong>", offline[8]);                      // blocked behind them
        Assert.Equal("no stored token", offline[9]);                         // token

        var hubspot = Cells(html, "hubspot");
        Assert.Equal("Closed", hubspot[1]);
        Assert.Contains("HubSpot says 87 of 100 left per 10 s", hubspot[2], StringComparison.Ordinal);
        Assert.Contains("our limiter: 100 of 100 left per 10 s", hubspot[2], StringComparison.Ordinal);
        Assert.StartsWith("hubspot:default: <span class=\"ok\">connected</span> until", hubspot[9], StringComparison.Ordinal);

        Assert.Equal("unknown (no fixed limit and no limit header from the target yet)", Cells(html, "http")[2]);
        Assert.Matches("^salesforce:default: expiring in [45] min", Cells(html, "salesforce")[9]);
        Assert.Equal("quickbooks:default: <span class=\"err\">broken: invalid_grant: the refresh token was revoked</span>", Cells(html, "quickbooks")[9]);
    }

    /// <summary>The cells of the first table row whose first cell is <paramref name="first"/>.</summary>
    private static string[] Cells(string html, string first)
    {
        var row = Regex.Match(html, $"<tr><td>{Regex.Escape(first)}</td>(.*?)</tr>", RegexOptions.Singleline);
        Assert.True(row.Success, $"no row for {first}");
        return [first, .. Cell().Matches(row.Groups[1].Value).Select(m => m.Groups[1].Value)];
    }

    private static string Stamp(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    [GeneratedRegex("<td>(.*?)</td>", RegexOptions.Singleline)]
    private static partial Regex Cell();

    public void Dispose() => _factory.Dispose();
}
