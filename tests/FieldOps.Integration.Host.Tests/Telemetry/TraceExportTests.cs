using System.Net;
using System.Text;
using FieldOps.Integration.Host.Startup;
using FieldOps.Integration.Host.Telemetry;
using FieldOps.Integration.Host.Tests.Infrastructure;
using FieldOps.Integration.Host.Tests.Sources;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace FieldOps.Integration.Host.Tests.Telemetry;

/// <summary>
/// Export by configuration only: a real <c>fieldops</c> process given the standard <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>
/// sends the event's spans to that collector (a WireMock.Net listener standing in for an OpenTelemetry collector's
/// OTLP/HTTP receiver); the sampler comes from <c>OTEL_TRACES_SAMPLER</c>/<c>_ARG</c>, and a wrong value stops the start
/// with one line naming the key.
/// </summary>
public sealed class TraceExportTests : IDisposable
{
    private const string Event = """{"type":"CustomerUpserted","entityType":"Customer","entityId":"C-1","occurredAt":"2025-03-14T12:30:00-06:00","entity":{"id":"C-1"}}""";
    private readonly TempDirectory _directory = new();
    private readonly WireMockServer _collector = WireMockServer.Start();

    [Fact]
    public async Task Webhook_WithAnOtlpEndpoint_ExportsTheEventsTraceToTheCollector()
    {
        _collector.Given(Request.Create().WithPath("/v1/traces").UsingPost()).RespondWith(Response.Create().WithStatusCode(200));
        _collector.Given(Request.Create().WithPath("/v1/metrics").UsingPost()).RespondWith(Response.Create().WithStatusCode(200));
        var environment = CanonicalSource();
        environment["OTEL_EXPORTER_OTLP_ENDPOINT"] = _collector.Url!;
        environment["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf";
        environment["OTEL_SERVICE_NAME"] = "fieldops-export-test";
        environment["OTEL_BSP_SCHEDULE_DELAY"] = "200";
        await using var process = FieldOpsProcess.Start(_directory.Path, environment);
        await process.WaitUntilReadyAsync(TimeSpan.FromSeconds(60));
        using var client = new HttpClient { BaseAddress = process.BaseAddress };

        using var response = await client.PostAsync(new Uri("/webhooks/crm", UriKind.Relative), new StringContent(Event, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var stored = StoredTraceParent();
        Assert.NotNull(stored);
        // OTLP/protobuf carries the trace id as its 16 raw bytes, the service name as UTF-8 text.
        var traceId = Convert.FromHexString(stored!.AsSpan(3, 32));
        await StoreProbe.WaitUntilAsync(() => TraceBodies().Any(body => Contains(body, traceId)), TimeSpan.FromSeconds(30),
            () => $"an OTLP trace export holding trace {stored[3..35]}; collector got {_collector.LogEntries.Count} requests: "
                + string.Join(", ", _collector.LogEntries.Select(e => e.RequestMessage.Path)) + "\n" + process.StandardOutput + process.StandardError);
        var export = TraceBodies().First(body => Contains(body, traceId));
        Assert.True(Contains(export, Encoding.UTF8.GetBytes("fieldops-export-test")), "the export names the service from OTEL_SERVICE_NAME");
        Assert.True(Contains(export, Encoding.UTF8.GetBytes("FieldOps.Intake")), "the export holds the intake span's scope");
        Assert.All(_collector.LogEntries.Where(e => e.RequestMessage.Path == "/v1/traces"),
            e => Assert.Equal("application/x-protobuf", e.RequestMessage.Headers!["Content-Type"].Single()));
    }

    [Theory]
    [InlineData("sometimes", null, "OTEL_TRACES_SAMPLER: 'sometimes' is not one of always_on, always_off, traceidratio")]
    [InlineData("traceidratio", "1.5", "OTEL_TRACES_SAMPLER_ARG: '1.5' is not a ratio between 0 and 1")]
    [InlineData("parentbased_traceidratio", "a quarter", "OTEL_TRACES_SAMPLER_ARG: 'a quarter' is not a ratio between 0 and 1")]
    public async Task Start_WithAWrongSamplerSetting_IsOneLineNamingTheKeyAndExit2(string sampler, string? argument, string expected)
    {
        var environment = CanonicalSource();
        environment["OTEL_TRACES_SAMPLER"] = sampler;
        if (argument is not null)
            environment["OTEL_TRACES_SAMPLER_ARG"] = argument;
        await using var process = FieldOpsProcess.Start(_directory.Path, environment);

        var exit = await process.WaitForExitAsync(TimeSpan.FromSeconds(60));

        Assert.True(exit == 2, $"exit {exit}\n{process.StandardOutput}{process.StandardError}");
        var line = Assert.Single(process.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(expected, line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, null, "ParentBased{AlwaysOnSampler}")]
    [InlineData("always_off", null, "AlwaysOffSampler")]
    [InlineData(" TraceIdRatio ", "0.25", "TraceIdRatioBasedSampler{0.250000}")]
    [InlineData("parentbased_traceidratio", null, "ParentBased{TraceIdRatioBasedSampler{1.000000}}")]
    public void Sampler_FromTheStandardVariables_IsTheOneNamed(string? sampler, string? argument, string expected)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            [TraceSampling.SamplerKey] = sampler,
            [TraceSampling.ArgumentKey] = argument,
        }).Build();

        Assert.Equal(expected, TraceSampling.FromConfiguration(configuration).Description);
    }

    [Fact]
    public void Sampler_Unknown_ThrowsTheConfigurationErrorNamingTheKey()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [TraceSampling.SamplerKey] = "ratio" }).Build();

        var error = Assert.Throws<ConfigurationException>(() => TraceSampling.FromConfiguration(configuration));

        Assert.StartsWith("OTEL_TRACES_SAMPLER: 'ratio'", error.Message, StringComparison.Ordinal);
    }

    private static Dictionary<string, string> CanonicalSource() => new()
    {
        ["Sources__crm__Kind"] = "canonical",
        ["Sources__crm__Signature__Algorithm"] = "None",
    };

    private List<byte[]> TraceBodies() =>
        _collector.LogEntries.Where(e => e.RequestMessage.Path == "/v1/traces").Select(e => e.RequestMessage.BodyAsBytes ?? []).ToList();

    private static bool Contains(byte[] body, byte[] part) => body.AsSpan().IndexOf(part) >= 0;

    private string? StoredTraceParent()
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(_directory.Path, "data", "fieldops.db")};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT trace_parent FROM inbox";
        return command.ExecuteScalar() as string;
    }

    public void Dispose()
    {
        _collector.Stop();
        _collector.Dispose();
        _directory.Dispose();
    }
}
