using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Dapper;
using FieldOps.Integration.Host.Metrics;
using FieldOps.Integration.Host.Tests.Admin;
using FieldOps.Integration.Host.Tests.Infrastructure;
using FieldOps.Integration.Host.Tests.Sources;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace FieldOps.Integration.Host.Tests.Metrics;

/// <summary>
/// What the README and the Grafana dashboard promise is on <c>/metrics</c>: events flow through the real host to
/// WireMock.Net (one retried and delivered, one dead-lettered), an operator discards a dead letter, a connection has a
/// token, and then every metric the README's monitoring table documents and every metric a dashboard query names is in
/// the strictly parsed Prometheus text. And the store-backed gauges cost at most one store read per refresh interval.
/// </summary>
public sealed partial class MonitoringContractTests : IDisposable
{
    private const string AdminKey = "monitoring-test-admin-key-3c9a";
    private const string Event = """
        {"type":"CustomerUpserted","entityType":"Customer","entityId":"C-42","sourceAccountId":"acme","occurredAt":"2025-03-14T12:30:00-06:00",
         "entity":{"id":"C-42","kind":"Company","displayName":"Bluebird Bakery","emails":["orders@bluebird.example"]}}
        """;

    private readonly WireMockServer _target = WireMockServer.Start();
    private FieldOpsFactory? _factory;

    [Fact]
    public async Task Metrics_AfterEventsFlow_HaveEveryDocumentedAndDashboardMetric()
    {
        _target.Given(Request.Create().WithPath("/crm/*").UsingPut()).InScenario("crm").WillSetStateTo("failed once")
            .RespondWith(Response.Create().WithStatusCode(503).WithBody("busy"));
        _target.Given(Request.Create().WithPath("/crm/*").UsingPut()).InScenario("crm").WhenStateIs("failed once")
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json").WithBody("{\"id\":\"CRM-1\"}"));
        _target.Given(Request.Create().WithPath("/erp/*").UsingPut())
            .RespondWith(Response.Create().WithStatusCode(400).WithHeader("Content-Type", "application/json").WithBody("{\"error\":\"name too long\"}"));
        _factory = Factory("00:00:00");
        using var client = _factory.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", AdminKey);

        using (var response = await client.PostAsync(new Uri("/webhooks/crm", UriKind.Relative), new StringContent(Event, Encoding.UTF8, "application/json")))
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        using (var unmatched = await client.PostAsync(new Uri("/webhooks/crm", UriKind.Relative),
            new StringContent(Event.Replace("CustomerUpserted", "InvoiceCreated", StringComparison.Ordinal).Replace("C-42", "I-7", StringComparison.Ordinal), Encoding.UTF8, "application/json")))
            Assert.Equal(HttpStatusCode.Accepted, unmatched.StatusCode);
        await StoreProbe.WaitUntilAsync(() => States().Order(StringComparer.Ordinal).SequenceEqual(["dead", "delivered"]), TimeSpan.FromSeconds(30),
            () => "one delivered and one dead row: " + string.Join(", ", States()));
        var (_, ids) = await DeadLetterSeed.AddAsync(_factory.DatabasePath, "Permanent", rows: 2);
        using (var discard = await client.PostAsJsonAsync($"/admin/deadletters/{ids[0]}/discard", new { reason = "test" }))
            Assert.Equal(HttpStatusCode.OK, discard.StatusCode);
        await DeadLetterSeed.AddAsync(_factory.DatabasePath, "Business", rows: 1);
        await using (var connection = new SqliteConnection($"Data Source={_factory.DatabasePath};Pooling=False"))
        {
            await connection.ExecuteAsync("INSERT INTO credential (connection, expires_at, updated_at) VALUES ('hubspot:default', @at, 0)",
                new { at = DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeMilliseconds() });
        }

        var documented = DocumentedMetrics();
        Assert.True(documented.Count >= 18, "the README's monitoring table lists the metrics: " + string.Join(", ", documented));
        var dashboard = DashboardMetrics();
        Assert.True(dashboard.Count >= 10, "the dashboard queries metrics: " + string.Join(", ", dashboard));
        // The counters move when the dispatcher hears back from its write-back, just after the row's state is written
        // (a retried row can be delivered before the retry's count runs on a busy machine): scraped until they are there.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        string text;
        List<string> missing;
        while (true)
        {
            text = await client.GetStringAsync(new Uri("/metrics", UriKind.Relative));
            var names = PrometheusParser.Parse(text).Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
            // A counter appears with its first increment: no event is parked here.
            missing = documented.Concat(dashboard).Where(n => !names.Contains(n) && !names.Contains(n + "_bucket") && n != "fieldops_events_parked_total")
                .Distinct().ToList();
            if (missing.Count == 0 || DateTime.UtcNow >= deadline)
                break;
            await Task.Delay(100);
        }
        Assert.True(missing.Count == 0, $"not on /metrics: {string.Join(", ", missing)}\n{text}");
    }

    [Fact]
    public async Task StoreGauges_ScrapedAgainWithinTheRefreshInterval_DoNotQueryTheStoreAgain()
    {
        _factory = Factory("01:00:00");
        using var client = _factory.CreateClient();
        var first = PrometheusParser.Parse(await client.GetStringAsync(new Uri("/metrics", UriKind.Relative)));
        Assert.Contains(first, s => s.Name == "fieldops_store_up" && s.Value == 1);
        var cache = _factory.Services.GetRequiredService<StoreSnapshotCache>();
        var queries = cache.Queries;
        await DeadLetterSeed.AddAsync(_factory.DatabasePath, "Permanent", rows: 1);

        for (var i = 0; i < 5; i++)
        {
            var again = PrometheusParser.Parse(await client.GetStringAsync(new Uri("/metrics", UriKind.Relative)));
            Assert.DoesNotContain(again, s => s.Name == "fieldops_operations_held"); // the cached read: bounded cost, at most one interval old
        }

        Assert.Equal(queries, cache.Queries);
    }

    private FieldOpsFactory Factory(string refresh) => new(new Dictionary<string, string?>
    {
        ["Admin:ApiKey"] = AdminKey,
        ["Metrics:StoreRefreshInterval"] = refresh,
        ["Mappings:Path"] = Path.Combine(AppContext.BaseDirectory, "Fixtures", "logs"),
        ["Sources:crm:Kind"] = "canonical",
        ["Sources:crm:Signature:Algorithm"] = "None",
        ["Dispatcher:PollInterval"] = "00:00:00.050",
        ["Dispatcher:BaseDelay"] = "00:00:00.050",
        ["Dispatcher:MaxDelay"] = "00:00:00.100",
        ["Connectors:Http:Endpoints:crm:Url"] = _target.Url + "/crm/{{idempotencyKey}}",
        ["Connectors:Http:Endpoints:crm:Method"] = "PUT",
        ["Connectors:Http:Endpoints:erp:Url"] = _target.Url + "/erp/{{idempotencyKey}}",
        ["Connectors:Http:Endpoints:erp:Method"] = "PUT",
    });

    private List<string> States()
    {
        using var connection = new SqliteConnection($"Data Source={_factory!.DatabasePath};Pooling=False");
        try
        {
            return connection.Query<string>("SELECT state FROM outbox WHERE connector = 'http'").ToList();
        }
        catch (SqliteException)
        {
            return [];
        }
    }

    /// <summary>The metric names in the README's monitoring table (rows starting with a metric name).</summary>
    private static List<string> DocumentedMetrics()
    {
        var readme = File.ReadAllText(Path.Combine(Path.GetDirectoryName(RepositoryPaths.Mappings)!, "README.md"));
        var section = readme[readme.IndexOf("## Monitoring", StringComparison.Ordinal)..];
        section = section[..section.IndexOf("\n## ", 3, StringComparison.Ordinal)];
        return section.Split('\n').Where(l => l.StartsWith("| `fieldops_", StringComparison.Ordinal))
            .SelectMany(l => MetricName().Matches(l.Split('|')[1]).Select(m => m.Value)).Distinct().ToList();
    }

    /// <summary>The metric names every query of the shipped Grafana dashboard reads.</summary>
    private static List<string> DashboardMetrics()
    {
        var path = Path.Combine(Path.GetDirectoryName(RepositoryPaths.Mappings)!, "deploy", "grafana", "fieldops-dashboard.json");
        using var dashboard = JsonDocument.Parse(File.ReadAllText(path));
        var names = new List<string>();
        foreach (var panel in dashboard.RootElement.GetProperty("panels").EnumerateArray())
        {
            foreach (var target in panel.GetProperty("targets").EnumerateArray())
                names.AddRange(MetricName().Matches(target.GetProperty("expr").GetString()!).Select(m => m.Value));
        }
        return names.Distinct().ToList();
    }

    [GeneratedRegex("fieldops_[a-z0-9_]+")]
    private static partial Regex MetricName();

    public void Dispose()
    {
        _factory?.Dispose();
        _target.Stop();
        _target.Dispose();
    }
}
