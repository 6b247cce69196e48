using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text;
using FieldOps.Integration.Host.Tests.Infrastructure;
using FieldOps.Integration.Testing.Faults;
using Npgsql;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using Xunit.Abstractions;

namespace FieldOps.Integration.Host.Tests.Faults;

/// <summary>
/// The real process on PostgreSQL, with the server stopped and started again mid-stream, and started only after the
/// process. The server is a private cluster of the test (never the shared one other tests run on). Every acknowledged
/// event is stored once and delivered, refusals are 503 with Retry-After, the process stays up, and it is ready again
/// within 10 s of the server coming back.
/// </summary>
public sealed class PostgresFaultTests(ITestOutputHelper output) : IDisposable
{
    private readonly TempDirectory _directory = new();
    private readonly WireMockServer _target = WireMockServer.Start();
    private readonly ConcurrentDictionary<string, int> _delivered = new(StringComparer.Ordinal);

    [PrivatePostgresFact]
    public async Task Intake_PostgresStoppedAndStartedMidStream_EveryAcknowledgedEventStoredOnceAndDelivered()
    {
        using var postgres = PrivatePostgres.Create();
        postgres.Start();
        await using var process = Start(postgres);
        await process.WaitUntilReadyAsync(TimeSpan.FromSeconds(30));
        using var client = new HttpClient { BaseAddress = process.BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        await using var stream = new WebhookStream(process.BaseAddress, TimeSpan.FromMilliseconds(10), Event);
        await stream.WaitForAnswersAsync(40, TimeSpan.FromSeconds(10));

        var downAt = DateTime.UtcNow;
        postgres.Stop();
        await StoreDownAtStartTests.WaitForAsync(
            async () => await StoreDownAtStartTests.TryGetAsync(client, "/health/ready") == HttpStatusCode.ServiceUnavailable, TimeSpan.FromSeconds(10), process);
        await stream.WaitForAnswersAsync(60, TimeSpan.FromSeconds(10));
        Assert.False(process.HasExited, "the process stopped with the database");

        var (toReady, readyAt) = await StartAgainAsync(postgres, client, process, stream);

        var figures = await CheckAsync(stream, postgres, process, downAt, readyAt);
        output.WriteLine($"PostgreSQL stopped mid-stream (private cluster, port {postgres.Port}): {figures}, " +
            $"ready {toReady.TotalSeconds:F1} s after the server was started again");
        Assert.True(toReady < TimeSpan.FromSeconds(10), $"ready {toReady.TotalSeconds:F1} s after the server came back");
    }

    [PrivatePostgresFact]
    public async Task Run_PostgresDownAtStart_StartsNotReadyThenReadyAndDeliversWhenItStarts()
    {
        using var postgres = PrivatePostgres.Create(); // created, not started
        var downAt = DateTime.UtcNow;
        await using var process = Start(postgres);
        using var client = new HttpClient { BaseAddress = process.BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        await StoreDownAtStartTests.WaitForAsync(async () => await StoreDownAtStartTests.TryGetAsync(client, "/health/live") == HttpStatusCode.OK, TimeSpan.FromSeconds(60), process);
        using (var ready = await client.GetAsync(new Uri("/health/ready", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
            Assert.StartsWith("store unreachable:", StoreDownAtStartTests.StoreCheck(await ready.Content.ReadAsStringAsync()).GetProperty("description").GetString(), StringComparison.Ordinal);
        }
        await using var stream = new WebhookStream(process.BaseAddress, TimeSpan.FromMilliseconds(20), Event);
        await stream.WaitForAnswersAsync(10, TimeSpan.FromSeconds(10));

        var (toReady, readyAt) = await StartAgainAsync(postgres, client, process, stream);

        var figures = await CheckAsync(stream, postgres, process, downAt, readyAt);
        output.WriteLine($"PostgreSQL down at start (private cluster, port {postgres.Port}): {figures}, ready {toReady.TotalSeconds:F1} s after the server started");
        Assert.True(toReady < TimeSpan.FromSeconds(10), $"ready {toReady.TotalSeconds:F1} s after the server started (migrations are retried every 5 s)");
    }

    /// <summary>Starts the server, times how long until ready, lets 40 more webhooks through and stops the stream.</summary>
    private static async Task<(TimeSpan ToReady, DateTime ReadyAt)> StartAgainAsync(
        PrivatePostgres postgres, HttpClient client, FieldOpsProcess process, WebhookStream stream)
    {
        postgres.Start();
        var clock = Stopwatch.StartNew();
        await StoreDownAtStartTests.WaitForAsync(
            async () => await StoreDownAtStartTests.TryGetAsync(client, "/health/ready") == HttpStatusCode.OK, TimeSpan.FromSeconds(20), process);
        var toReady = clock.Elapsed;
        var readyAt = DateTime.UtcNow;
        await stream.WaitForAnswersAsync(40, TimeSpan.FromSeconds(10));
        await stream.StopAsync();
        return (toReady, readyAt);
    }

    private async Task<string> CheckAsync(WebhookStream stream, PrivatePostgres postgres, FieldOpsProcess process, DateTime downAt, DateTime readyAt)
    {
        var answers = stream.Answers.ToList();
        var acknowledged = answers.Where(a => a.Status == HttpStatusCode.Accepted).ToList();
        var refused = answers.Where(a => a.Status == HttpStatusCode.ServiceUnavailable).ToList();
        var stored = await StoredBodiesAsync(postgres);
        var duplicates = stored.Values.Sum() - stored.Count;
        // Delivery resumes: every acknowledged event reaches the target (two operations each), bounded.
        var ids = acknowledged.Select(a => EntityId(a.Body)).ToList();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (ids.Any(id => !_delivered.ContainsKey("crm/" + id) || !_delivered.ContainsKey("erp/" + id)) && DateTime.UtcNow < deadline)
            await Task.Delay(100);
        var undelivered = ids.Count(id => !_delivered.ContainsKey("crm/" + id) || !_delivered.ContainsKey("erp/" + id));
        Assert.False(process.HasExited, "the process stopped");

        Assert.All(answers, a => Assert.True(a.Status is HttpStatusCode.Accepted or HttpStatusCode.ServiceUnavailable, $"answered {(int)a.Status}"));
        Assert.NotEmpty(refused);
        Assert.All(refused, a => Assert.True(a.RetryAfter, "503 without Retry-After"));
        Assert.All(refused, a => Assert.InRange(a.SentAt, downAt.AddSeconds(-1), readyAt.AddSeconds(1)));
        foreach (var answer in acknowledged)
            Assert.Equal(1, stored.GetValueOrDefault(answer.Body));
        Assert.Equal(0, duplicates);
        Assert.Equal(0, undelivered);
        return $"{answers.Count} sent, {acknowledged.Count} acknowledged, {refused.Count} answered 503, {stored.Count} stored, {duplicates} duplicates, " +
               $"{acknowledged.Count - undelivered} of {acknowledged.Count} delivered to both endpoints";
    }

    private static async Task<Dictionary<string, int>> StoredBodiesAsync(PrivatePostgres postgres)
    {
        await using var connection = new NpgsqlConnection(postgres.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT body FROM inbox", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var bodies = new Dictionary<string, int>(StringComparer.Ordinal);
        while (await reader.ReadAsync())
        {
            var body = Encoding.UTF8.GetString((byte[])reader[0]);
            bodies[body] = bodies.GetValueOrDefault(body) + 1;
        }
        return bodies;
    }

    private static (HttpRequestMessage, string) Event(int n)
    {
        var body = $$$"""{"type":"CustomerUpserted","entityType":"Customer","entityId":"C-{{{n}}}","sourceAccountId":"acme","occurredAt":"2025-03-14T12:30:00-06:00","entity":{"id":"C-{{{n}}}","kind":"Company","displayName":"Customer {{{n}}}"}}""";
        return (new HttpRequestMessage(HttpMethod.Post, "/webhooks/crm") { Content = new StringContent(body, Encoding.UTF8, "application/json") }, body);
    }

    private static string EntityId(string body) => System.Text.Json.JsonDocument.Parse(body).RootElement.GetProperty("entityId").GetString()!;

    private FieldOpsProcess Start(PrivatePostgres postgres)
    {
        var fixture = Path.Combine(AppContext.BaseDirectory, "Fixtures", "logs");
        foreach (var file in Directory.EnumerateFiles(fixture, "*.yaml", SearchOption.AllDirectories))
        {
            var destination = Path.Combine(_directory.Path, "mappings", Path.GetRelativePath(fixture, file));
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            File.Copy(file, destination, overwrite: true);
        }
        foreach (var endpoint in new[] { "crm", "erp" })
        {
            _target.Given(Request.Create().WithPath($"/{endpoint}/*").UsingPut())
                .RespondWith(Response.Create().WithCallback(request =>
                {
                    _delivered.AddOrUpdate(request.Path.TrimStart('/'), 1, (_, n) => n + 1);
                    return new WireMock.ResponseMessage
                    {
                        StatusCode = 200,
                        BodyData = new WireMock.Util.BodyData { BodyAsString = "{\"id\":\"x\"}", DetectedBodyType = WireMock.Types.BodyType.String },
                    };
                }));
        }
        return FieldOpsProcess.Start(_directory.Path, new Dictionary<string, string>
        {
            ["Store__Provider"] = "Postgres",
            ["Store__ConnectionString"] = postgres.ConnectionString,
            ["Credentials__KeysDirectory"] = Path.Combine(_directory.Path, "keys"),
            ["Sources__crm__Kind"] = "canonical",
            ["Sources__crm__Signature__Algorithm"] = "None",
            ["Dispatcher__PollInterval"] = "00:00:00.100",
            ["Dispatcher__BaseDelay"] = "00:00:00.100",
            ["Dispatcher__MaxDelay"] = "00:00:01",
            ["Connectors__Http__Endpoints__crm__Url"] = _target.Url + "/crm/{{idempotencyKey}}",
            ["Connectors__Http__Endpoints__crm__Method"] = "PUT",
            ["Connectors__Http__Endpoints__erp__Url"] = _target.Url + "/erp/{{idempotencyKey}}",
            ["Connectors__Http__Endpoints__erp__Method"] = "PUT",
            ["Logging__Level"] = "Warning",
        });
    }

    public void Dispose()
    {
        _target.Stop();
        _target.Dispose();
        _directory.Dispose();
    }
}
