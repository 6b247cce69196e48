using System.Diagnostics.Metrics;
using FieldOps.Integration.Host.Tests.Admin;
using FieldOps.Integration.Host.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace FieldOps.Integration.Host.Tests.Metrics;

/// <summary><c>/metrics</c> through the real host: strict Prometheus text that moves when events flow.</summary>
public sealed class MetricsEndpointTests : IDisposable
{
    // A configured connector (the generic http one, one endpoint) so its breaker is exported.
    // The store-backed gauges refresh on every scrape here (default: at most every 5 s), so the scrape after the seed sees it.
    private readonly FieldOpsFactory _factory = new(new Dictionary<string, string?>
    {
        ["Connectors:Http:Endpoints:crm:Url"] = "http://127.0.0.1:9/crm",
        ["Metrics:StoreRefreshInterval"] = "00:00:00",
    });

    private static async Task<IReadOnlyList<PrometheusParser.Sample>> ScrapeAsync(HttpClient client)
    {
        using var response = await client.GetAsync(new Uri("/metrics", UriKind.Relative));
        response.EnsureSuccessStatusCode();
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        return PrometheusParser.Parse(await response.Content.ReadAsStringAsync());
    }

    private static double Value(IReadOnlyList<PrometheusParser.Sample> samples, string name, params (string Key, string Value)[] labels) =>
        samples.Where(s => s.Name == name && labels.All(l => s.Labels.GetValueOrDefault(l.Key) == l.Value)).Sum(s => s.Value);

    [Fact]
    public async Task Metrics_WhenEventsFlow_ParseStrictlyAndMove()
    {
        using var client = _factory.CreateClient();
        var before = await ScrapeAsync(client);
        Assert.Equal(0, Value(before, "fieldops_events_received_total", ("source", "jobber")));
        Assert.Equal(1, Value(before, "fieldops_store_up"));
        Assert.Equal(1, Value(before, "fieldops_breaker_state", ("connector", "http"), ("state", "closed")));

        using (var accepted = await client.SendAsync(WebhookFixture.Load("jobber/visit-complete.json").ToRequest()))
            Assert.Equal(System.Net.HttpStatusCode.Accepted, accepted.StatusCode);
        using (var duplicate = await client.SendAsync(WebhookFixture.Load("jobber/visit-complete.json").ToRequest()))
            Assert.Equal(System.Net.HttpStatusCode.OK, duplicate.StatusCode);
        await DeadLetterSeed.AddAsync(_factory.DatabasePath, "Permanent", rows: 3);

        var after = await ScrapeAsync(client);
        Assert.Equal(1, Value(after, "fieldops_events_received_total", ("source", "jobber")));
        Assert.Equal(1, Value(after, "fieldops_operations_held", ("connector", "offline"), ("state", "dead")));
        Assert.Equal(2, Value(after, "fieldops_operations_held", ("connector", "offline"), ("state", "blocked")));
        // The webhook's commit took its turn at SQLite's write lock (a duplicate commits nothing new but still asks).
        Assert.True(Value(after, "fieldops_store_write_turns_total", ("priority", "intake")) >= 1);
        Assert.Contains(after, s => s.Name == "fieldops_store_write_wait_seconds_total" && s.Labels.GetValueOrDefault("priority") == "intake" && s.Value >= 0);
        // ... and held it while it committed, for a time above zero.
        Assert.True(Value(after, "fieldops_store_write_held_seconds_total", ("priority", "intake")) > 0);
    }

    [Fact]
    public async Task Metrics_FieldOpsMeterInstruments_AreExportedWithEscapedLabelsAndHistogramBuckets()
    {
        using var client = _factory.CreateClient();
        var meters = _factory.Services.GetRequiredService<IMeterFactory>();
        var meter = meters.Create("FieldOps.Connectors.Test");
        meter.CreateObservableGauge("fieldops_test_api_remaining", () => 42L, description: "A connector's gauge.");
        var histogram = meter.CreateHistogram<double>("fieldops_test_call_seconds", unit: "s");
        histogram.Record(0.02, new KeyValuePair<string, object?>("path", "a \"quoted\" \\ path\nwith newline"));
        histogram.Record(3);
        using var other = new Meter("Other.Library");
        other.CreateCounter<long>("other_requests").Add(1);

        var samples = await ScrapeAsync(client);

        Assert.Equal(42, Value(samples, "fieldops_test_api_remaining"));
        var odd = samples.Single(s => s.Name == "fieldops_test_call_seconds_count" && s.Labels.ContainsKey("path"));
        Assert.Equal("a \"quoted\" \\ path\nwith newline", odd.Labels["path"]);
        Assert.Equal(1, Value(samples, "fieldops_test_call_seconds_bucket", ("le", "0.025"), ("path", odd.Labels["path"])));
        Assert.DoesNotContain(samples, s => s.Name.StartsWith("other_", StringComparison.Ordinal));
    }

    [Fact]
    public void Parser_RejectsMalformedText()
    {
        Assert.Throws<FormatException>(() => PrometheusParser.Parse("x_total 1\n"));
        Assert.Throws<FormatException>(() => PrometheusParser.Parse("# TYPE x counter\nx 1\n"));
        Assert.Throws<FormatException>(() => PrometheusParser.Parse("# TYPE x gauge\nx{a=\"b\\q\"} 1\n"));
        Assert.Throws<FormatException>(() => PrometheusParser.Parse("# TYPE h histogram\nh_bucket{le=\"1\"} 2\nh_bucket{le=\"+Inf\"} 1\nh_sum 1\nh_count 1\n"));
        Assert.Throws<FormatException>(() => PrometheusParser.Parse("# TYPE x gauge\nx 1\n# TYPE y gauge\ny 1\nx 2\n"));
        Assert.Single(PrometheusParser.Parse("# HELP x A gauge.\n# TYPE x gauge\nx{a=\"b\\\"c\"} 1.5\n"));
    }

    public void Dispose() => _factory.Dispose();
}
