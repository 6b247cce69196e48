using System.Diagnostics;
using FieldOps.Integration.Core.Sources;
using FieldOps.Integration.Host.Tests.Infrastructure;
using FieldOps.Integration.Host.Tests.Sources;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Trace;

namespace FieldOps.Integration.Host.Tests.Telemetry;

/// <summary>
/// A poll run through the real host: one span for the run (source, pages, records appended, duplicates), and each
/// polled record starts its own trace (one trace per inbox event), linked to the run, which the event's routing
/// continues.
/// </summary>
public sealed class PollTraceTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private readonly FakeRestApi _api = new();
    private readonly TempDirectory _directory = new();
    private readonly SpanCollection _spans = new();

    [Fact]
    public async Task Poll_TwoPages_IsOneRunSpanAndOneLinkedTracePerRecord()
    {
        _api.Page(null, [FakeRestApi.Item(1), FakeRestApi.Item(2), FakeRestApi.Item(3)], next: "c2");
        _api.Page("c2", [FakeRestApi.Item(4)], next: null, priority: 1);
        var settings = _api.Environment(_directory.Path, interval: "01:00:00")
            .Where(setting => !setting.Key.StartsWith("Store__", StringComparison.Ordinal))
            .ToDictionary(setting => setting.Key.Replace("__", ":", StringComparison.Ordinal), setting => (string?)setting.Value);
        settings["Dispatcher:PollInterval"] = "00:00:00.050";
        using var factory = new FieldOpsFactory(settings, services => services.ConfigureOpenTelemetryTracerProvider(b => b.AddInMemoryExporter(_spans)));
        using var client = factory.CreateClient();

        // The scheduler polls every hour; the test runs the poll job's own runner once.
        var result = await factory.Services.GetRequiredService<PollRunner>().RunAsync("acme", CancellationToken.None);

        Assert.Equal(4, result.Appended);
        await StoreProbe.WaitUntilAsync(() => RunSpan() is not null, Timeout,
            () => "a finished 'poll acme' span; spans: " + string.Join(", ", _spans.Snapshot().Select(s => s.DisplayName)));
        var run = RunSpan()!;
        var traces = StoredTraceIds(factory.DatabasePath);

        Assert.Equal(ActivityKind.Client, run.Kind);
        Assert.Equal(default, run.ParentSpanId);
        Assert.Equal("acme", run.GetTagItem("fieldops.source"));
        Assert.Equal(2, run.GetTagItem("fieldops.poll.pages"));
        Assert.Equal(4, run.GetTagItem("fieldops.poll.appended"));
        Assert.Equal(0, run.GetTagItem("fieldops.poll.duplicates"));
        Assert.NotEqual(ActivityStatusCode.Error, run.Status);
        // The list calls are the run's children.
        Assert.Equal(2, _spans.InTrace(run.TraceId).Count(s => s.ParentSpanId == run.SpanId && s.Kind == ActivityKind.Client));

        // Four events, four traces of their own, none the run's; each starts with an intake span linked to the run.
        Assert.Equal(4, traces.Count);
        Assert.Equal(4, traces.Distinct().Count());
        Assert.DoesNotContain(run.TraceId.ToHexString(), traces);
        foreach (var trace in traces)
        {
            var intake = Assert.Single(_spans.InTrace(ActivityTraceId.CreateFromString(trace)), s => s.Source.Name == "FieldOps.Intake");
            Assert.Equal(default, intake.ParentSpanId);
            Assert.Equal("poll", intake.GetTagItem("fieldops.intake"));
            Assert.Equal("acme", intake.GetTagItem("fieldops.source"));
            var link = Assert.Single(intake.Links);
            Assert.Equal((run.TraceId, run.SpanId), (link.Context.TraceId, link.Context.SpanId));
        }

        // Routing continues each event's own trace, under its intake span.
        var first = ActivityTraceId.CreateFromString(traces[0]);
        await StoreProbe.WaitUntilAsync(() => _spans.InTrace(first).Any(s => s.Source.Name == "FieldOps.Routing"), Timeout,
            () => "a routing span in the first polled event's trace");
        var intakeOfFirst = _spans.InTrace(first).Single(s => s.Source.Name == "FieldOps.Intake");
        Assert.All(_spans.InTrace(first).Where(s => s.Source.Name == "FieldOps.Routing"), r => Assert.Equal(intakeOfFirst.SpanId, r.ParentSpanId));
    }

    private Activity? RunSpan() =>
        _spans.Snapshot().SingleOrDefault(s => s.Source.Name == "FieldOps.Polling" && "acme".Equals(s.GetTagItem("fieldops.source")));

    private static List<string> StoredTraceIds(string databasePath)
    {
        using var connection = new SqliteConnection($"Data Source={databasePath};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT trace_parent FROM inbox ORDER BY id";
        using var reader = command.ExecuteReader();
        var traces = new List<string>();
        while (reader.Read())
            traces.Add(reader.GetString(0).Substring(3, 32));
        return traces;
    }

    public void Dispose()
    {
        _api.Dispose();
        _directory.Dispose();
    }
}
