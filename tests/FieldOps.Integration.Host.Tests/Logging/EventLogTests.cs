using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using FieldOps.Integration.Host.Tests.Infrastructure;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace FieldOps.Integration.Host.Tests.Logging;

/// <summary>
/// An admin greps one event id in the real process's log and sees its whole life: intake, routing, and each delivery
/// attempt (with connector, operation, outcome, status, duration and attempt n of m) — in text and in JSON.
/// </summary>
public sealed class EventLogTests : IDisposable
{
    private const string Event = """
        {"type":"CustomerUpserted","entityType":"Customer","entityId":"C-42","sourceAccountId":"acme","occurredAt":"2025-03-14T12:30:00-06:00",
         "entity":{"id":"C-42","kind":"Company","displayName":"Bluebird Bakery","emails":["orders@bluebird.example"]}}
        """;

    private readonly TempDirectory _directory = new();
    private readonly WireMockServer _target = WireMockServer.Start();

    [Fact]
    public async Task OneEventId_GreppedFromTheTextLog_ShowsIntakeRoutingAndEachDelivery()
    {
        var (eventId, log) = await RunOneEventAsync("text");

        var lines = log.Split('\n').Where(l => Regex.IsMatch(l, $@"\bevent {eventId}\b")).ToList();
        var all = string.Join('\n', lines);
        Assert.Contains(lines, l => l.Contains($"Received event {eventId} from crm", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains($"Routed event {eventId}: 2 operations", StringComparison.Ordinal));
        // crm: 503 once, then delivered; erp: delivered at once.
        Assert.Contains(lines, l => l.Contains("Delivery http upsert customer", StringComparison.Ordinal) && l.Contains("Transient status 503", StringComparison.Ordinal)
            && l.Contains("attempt 1 of 5", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("Delivered status 200", StringComparison.Ordinal) && l.Contains("attempt 2 of 5", StringComparison.Ordinal)
            && l.Contains("target id CRM-1", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("Delivered status 201", StringComparison.Ordinal) && l.Contains("attempt 1 of 5", StringComparison.Ordinal)
            && l.Contains("target id ERP-1", StringComparison.Ordinal));
        Assert.True(lines.Count(l => l.Contains("Delivery http", StringComparison.Ordinal)) == 3, all);
        Assert.Matches(@"in \d+ ms", all);
        // Every line of the event ends with its one trace id: intake, routing (after the group commit) and each attempt.
        var traces = lines.Select(l => Regex.Match(l, @" trace ([0-9a-f]{32})$")).ToList();
        Assert.All(traces, t => Assert.True(t.Success, all));
        Assert.Single(traces.Select(t => t.Groups[1].Value).Distinct());
    }

    [Fact]
    public async Task JsonLog_IsRenderedWithLevelTimestampAndProperties()
    {
        var (eventId, log) = await RunOneEventAsync("json");

        var entries = log.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => l.StartsWith('{'))
            .Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.NotEmpty(entries);
        Assert.All(entries, e =>
        {
            Assert.True(e.TryGetProperty("@l", out _), "every line has its level: " + e);
            Assert.True(e.TryGetProperty("@t", out _), "every line has its time: " + e);
            Assert.True(e.TryGetProperty("@m", out _), "every line has its rendered message: " + e);
            Assert.False(e.TryGetProperty("@mt", out _), "the template is not the message: " + e);
        });
        var deliveries = entries.Where(e => e.TryGetProperty("InboxEventId", out var id) && id.GetInt64() == eventId
            && e.TryGetProperty("OutboxMessageId", out _) && e.GetProperty("@m").GetString()!.StartsWith("Delivery ", StringComparison.Ordinal)).ToList();
        Assert.Equal(3, deliveries.Count);
        Assert.Single(deliveries.Select(d => d.GetProperty("@tr").GetString()).Distinct());
        Assert.All(deliveries, d =>
        {
            Assert.Matches("^[0-9a-f]{32}$", d.GetProperty("@tr").GetString());
            Assert.Equal("Information", d.GetProperty("@l").GetString());
            Assert.Equal("http", d.GetProperty("Connector").GetString());
            Assert.Contains($"event {eventId}", d.GetProperty("@m").GetString(), StringComparison.Ordinal);
        });
    }

    private async Task<(long EventId, string Log)> RunOneEventAsync(string format)
    {
        CopyFixture();
        _target.Given(Request.Create().WithPath("/crm/*").UsingPut()).InScenario("crm").WillSetStateTo("failed once")
            .RespondWith(Response.Create().WithStatusCode(503).WithBody("busy"));
        _target.Given(Request.Create().WithPath("/crm/*").UsingPut()).InScenario("crm").WhenStateIs("failed once")
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json").WithBody("{\"id\":\"CRM-1\"}"));
        _target.Given(Request.Create().WithPath("/erp/*").UsingPut())
            .RespondWith(Response.Create().WithStatusCode(201).WithHeader("Content-Type", "application/json").WithBody("{\"id\":\"ERP-1\"}"));
        var environment = new Dictionary<string, string>
        {
            ["Logging__Format"] = format,
            ["Sources__crm__Kind"] = "canonical",
            ["Sources__crm__Signature__Algorithm"] = "None",
            ["Dispatcher__PollInterval"] = "00:00:00.050",
            ["Dispatcher__BaseDelay"] = "00:00:00.050",
            ["Dispatcher__MaxDelay"] = "00:00:00.100",
            ["Dispatcher__MaxAttempts"] = "5",
            ["Connectors__Http__Endpoints__crm__Url"] = _target.Url + "/crm/{{idempotencyKey}}",
            ["Connectors__Http__Endpoints__crm__Method"] = "PUT",
            ["Connectors__Http__Endpoints__erp__Url"] = _target.Url + "/erp/{{idempotencyKey}}",
            ["Connectors__Http__Endpoints__erp__Method"] = "PUT",
        };
        await using var process = FieldOpsProcess.Start(_directory.Path, environment);
        await process.WaitUntilReadyAsync(TimeSpan.FromSeconds(60));
        using var client = new HttpClient { BaseAddress = process.BaseAddress };
        using var response = await client.PostAsync(new Uri("/webhooks/crm", UriKind.Relative), new StringContent(Event, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var eventId = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("eventId").GetInt64();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (Regex.Count(process.StandardOutput, "Delivered status 20") < 2)
        {
            Assert.True(DateTime.UtcNow < deadline, "both operations should be delivered:\n" + process.StandardOutput + process.StandardError);
            await Task.Delay(100);
        }
        return (eventId, process.StandardOutput);
    }

    private void CopyFixture()
    {
        var fixture = Path.Combine(AppContext.BaseDirectory, "Fixtures", "logs");
        foreach (var file in Directory.EnumerateFiles(fixture, "*.yaml", SearchOption.AllDirectories))
        {
            var destination = Path.Combine(_directory.Path, "mappings", Path.GetRelativePath(fixture, file));
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            File.Copy(file, destination);
        }
    }

    public void Dispose()
    {
        _target.Stop();
        _target.Dispose();
        _directory.Dispose();
    }
}
