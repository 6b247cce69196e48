using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FieldOps.Integration.Host.Tests.Infrastructure;
using FieldOps.Integration.Host.Tests.Sources;
using Microsoft.Data.Sqlite;
using OpenTelemetry.Trace;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace FieldOps.Integration.Host.Tests.Telemetry;

/// <summary>
/// One thin Jobber timesheet webhook through the real host and the shipped profile and flow: intake, hydration from a
/// WireMock.Net Jobber, routing, and a BambooHR delivery that WireMock.Net refuses with 400 (dead-lettered). The
/// in-memory exporter shows one trace with the expected span tree and attributes; the trace id is stored with the
/// event and the row, and shown on the dead letter and the event by the admin API.
/// </summary>
public sealed class EventTraceTests : IDisposable
{
    private const string AdminKey = "trace-test-admin-key-7d1e";
    private const string RecordPath = "/api/v1/timetracking/record";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private readonly FakeJobber _jobber = new();
    private readonly WireMockServer _bamboo = WireMockServer.Start();
    private readonly TempDirectory _keys = new();
    private readonly SpanCollection _spans = new();
    private readonly FieldOpsFactory _factory;

    public EventTraceTests()
    {
        _jobber.Serve("timeSheetEntry", JobberRecords.TimeSheetId, JobberRecords.TimeSheetEntry());
        _bamboo.Given(Request.Create().WithPath(RecordPath).UsingPost()).RespondWith(Response.Create().WithStatusCode(400)
            .WithHeader("Content-Type", "application/problem+json").WithBody("""{"title":"Bad Request","status":400,"detail":"hoursWorked is not valid"}"""));
        var settings = _jobber.Settings(_keys.Path);
        settings["Admin:ApiKey"] = AdminKey;
        settings["Dispatcher:PollInterval"] = "00:00:00.050";
        settings["Connectors:BambooHR:BaseUrl"] = _bamboo.Url;
        settings["Connectors:BambooHR:ApiKey"] = "0123456789abcdef0123456789abcdef01234567";
        settings["Connectors:BambooHR:Employees:Z2lkOi8vSm9iYmVyL1VzZXIvNTAx"] = "117";
        _factory = new FieldOpsFactory(settings, services => services.ConfigureOpenTelemetryTracerProvider(b => b.AddInMemoryExporter(_spans)));
    }

    [Fact]
    public async Task Webhook_ThroughHydrationRoutingAndAFailingDelivery_IsOneTraceWithTheExpectedSpanTree()
    {
        using var client = _factory.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", AdminKey);
        var sender = ActivityTraceId.CreateRandom();
        var request = WebhookFixture.Load("jobber/timesheet-create.json").ToRequest();
        request.Headers.Add("traceparent", $"00-{sender.ToHexString()}-{ActivitySpanId.CreateRandom().ToHexString()}-01");

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var eventId = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("eventId").GetInt64();
        var stored = StoredTraceParent("inbox", "id", eventId);
        Assert.NotNull(stored);
        var traceId = ActivityTraceId.CreateFromString(stored!.AsSpan(3, 32));
        await StoreProbe.WaitUntilAsync(() => _spans.InTrace(traceId).Any(IsDelivery), Timeout,
            () => "a delivery span in the event's trace; spans: " + Describe(_spans.InTrace(traceId)));
        var spans = _spans.InTrace(traceId);

        // The intake starts the trace (the sender's traceparent is a link, not the parent).
        var intake = Assert.Single(spans, s => s.Source.Name == "FieldOps.Intake");
        Assert.Equal(default, intake.ParentSpanId);
        Assert.Equal(sender, Assert.Single(intake.Links).Context.TraceId);
        Assert.Equal("jobber", intake.GetTagItem("fieldops.source"));
        Assert.Equal("new", intake.GetTagItem("fieldops.dedup"));
        Assert.Equal(202, intake.GetTagItem("http.response.status_code"));
        Assert.Equal(eventId, intake.GetTagItem("fieldops.inbox_event_id"));

        // Routing twice (thin event: awaiting hydration, then hydrated), hydration once with its Jobber call, all under the intake.
        var routes = spans.Where(s => s.Source.Name == "FieldOps.Routing").ToList();
        Assert.Equal(2, routes.Count);
        Assert.All(routes, r => Assert.Equal(intake.SpanId, r.ParentSpanId));
        var planned = Assert.Single(routes, r => "routed".Equals(r.GetTagItem("fieldops.route.result")));
        Assert.Equal("time-entry-bamboohr", planned.GetTagItem("fieldops.route.flows"));
        Assert.Equal(1, planned.GetTagItem("fieldops.route.operations"));
        var hydration = Assert.Single(spans, s => s.Source.Name == "FieldOps.Hydration");
        Assert.Equal(intake.SpanId, hydration.ParentSpanId);
        Assert.Equal("hydrated", hydration.GetTagItem("fieldops.hydration.outcome"));
        Assert.Contains(spans, s => s.ParentSpanId == hydration.SpanId && s.Kind == ActivityKind.Client && Url(s).EndsWith("/graphql", StringComparison.Ordinal));

        // One delivery attempt under the routing span that planned it, and the vendor call under the attempt.
        var delivery = Assert.Single(spans, IsDelivery);
        Assert.Equal(planned.SpanId, delivery.ParentSpanId);
        Assert.Equal("bamboohr", delivery.GetTagItem("fieldops.connector"));
        Assert.Equal("log-time", delivery.GetTagItem("fieldops.operation"));
        Assert.Equal("Permanent", delivery.GetTagItem("fieldops.outcome"));
        Assert.Equal(400, delivery.GetTagItem("http.response.status_code"));
        Assert.Equal(1, delivery.GetTagItem("fieldops.attempt"));
        Assert.Equal("dead", delivery.GetTagItem("fieldops.state"));
        Assert.Equal(ActivityStatusCode.Error, delivery.Status);
        var call = Assert.Single(spans, s => s.ParentSpanId == delivery.SpanId);
        Assert.Equal(ActivityKind.Client, call.Kind);
        Assert.EndsWith(RecordPath, Url(call), StringComparison.Ordinal);
        Assert.Equal(400, call.GetTagItem("http.response.status_code"));

        // The trace id travels with the row, onto the dead letter and the event's life in the admin API.
        var hex = traceId.ToHexString();
        Assert.Equal(hex, StoredTraceParent("outbox", "inbox_event_id", eventId)!.Substring(3, 32));
        var dead = await client.GetFromJsonAsync<JsonElement>("/admin/deadletters?connector=bamboohr");
        var deadId = dead.GetProperty("items")[0].GetProperty("id").GetString();
        var shown = await client.GetFromJsonAsync<JsonElement>($"/admin/deadletters/{deadId}");
        Assert.Equal(hex, shown.GetProperty("operation").GetProperty("traceId").GetString());
        var life = await client.GetFromJsonAsync<JsonElement>($"/admin/events/{eventId}");
        Assert.Equal(hex, life.GetProperty("traceId").GetString());
        Assert.Equal(hex, life.GetProperty("operations")[0].GetProperty("traceId").GetString());

        // And by the command line, run on the same database.
        await using var tool = FieldOpsProcess.Start(_keys.Path, new Dictionary<string, string>
        {
            ["Store__ConnectionString"] = $"Data Source={_factory.DatabasePath}",
            ["Mappings__Path"] = RepositoryPaths.Mappings,
        }, "deadletters", "show", deadId!);
        Assert.Equal(0, await tool.WaitForExitAsync(Timeout));
        var printed = JsonDocument.Parse(tool.StandardOutput).RootElement;
        Assert.Equal(hex, printed.GetProperty("operation").GetProperty("traceId").GetString());
    }

    private static bool IsDelivery(Activity span) => span.Source.Name == "FieldOps.Delivery";

    private static string Url(Activity span) => span.GetTagItem("url.full") as string ?? "";

    private static string Describe(IEnumerable<Activity> spans) =>
        string.Join("; ", spans.Select(s => $"{s.Source.Name}/{s.DisplayName} parent {s.ParentSpanId}"));

    private string? StoredTraceParent(string table, string column, long id)
    {
        using var connection = new SqliteConnection($"Data Source={_factory.DatabasePath};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT trace_parent FROM {table} WHERE {column} = $id";
        command.Parameters.AddWithValue("$id", id);
        return command.ExecuteScalar() as string;
    }

    public void Dispose()
    {
        _factory.Dispose();
        _bamboo.Stop();
        _bamboo.Dispose();
        _jobber.Dispose();
        _keys.Dispose();
    }
}
