using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using FieldOps.Integration.Host.Tests.Infrastructure;
using FieldOps.Integration.Host.Tests.Sources;

namespace FieldOps.Integration.Host.Tests.Health;

/// <summary>
/// Readiness per source (issue 18): a source whose records cannot be fetched back, whose polls fail, or that runs
/// webhook-only is Degraded with the reason, and <c>fieldops sources</c> shows the same last error.
/// </summary>
public sealed class SourceReadinessTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private readonly TempDirectory _keys = new();

    [Fact]
    public async Task Ready_JobberWebhookOnly_IsDegradedAndItsEventsWaitUnrouted()
    {
        // Kind=jobber with its Secret and WebhookOnly=true
        using var factory = new FieldOpsFactory(new Dictionary<string, string?> { ["Mappings:Path"] = RepositoryPaths.Mappings });
        using var client = factory.CreateClient();

        await PostJobClosedAsync(client);

        var sources = Check(await ReadyAsync(client), "sources");
        Assert.Equal("Degraded", sources.GetProperty("status").GetString());
        Assert.Contains("jobber: webhook-only (Sources:jobber:WebhookOnly)", sources.GetProperty("description").GetString(), StringComparison.Ordinal);
        await StoreProbe.WaitUntilAsync(() => StoreProbe.Inbox(factory.DatabasePath) is [{ State: "awaiting_hydration" }], Timeout,
            () => string.Join("; ", StoreProbe.Inbox(factory.DatabasePath).Select(e => $"{e.State} {e.Reason}")));
    }

    [Fact]
    public async Task Ready_HydrationFailing_IsDegradedWithTheErrorUntilAFetchSucceeds_AndTheCliShowsIt()
    {
        using var jobber = new FakeJobber();
        jobber.Fail(JobberRecords.JobId, 500);
        var settings = jobber.Settings(_keys.Path);
        settings["Hydration:Debounce"] = "00:00:00";
        settings["Hydration:MaxDelay"] = "00:00:00";
        using var factory = new FieldOpsFactory(settings);
        using var client = factory.CreateClient();
        Assert.Equal("Healthy", Check(await ReadyAsync(client), "sources").GetProperty("status").GetString());

        await PostJobClosedAsync(client);

        var failing = await WaitForSourcesAsync(client, "Degraded");
        var description = failing.GetProperty("description").GetString()!;
        Assert.Contains("jobber: hydration failing since ", description, StringComparison.Ordinal);
        Assert.Contains($"Job {JobberRecords.JobId}: Jobber GraphQL answered 500", description, StringComparison.Ordinal);
        var listed = await SourcesCliAsync(factory.DatabasePath);
        Assert.Contains($"hydration: Job {JobberRecords.JobId}: Jobber GraphQL answered 500", listed, StringComparison.Ordinal);

        jobber.Serve("job", JobberRecords.JobId, JobberRecords.Job(), priority: 1);

        await WaitForSourcesAsync(client, "Healthy");
        await StoreProbe.WaitUntilAsync(() => StoreProbe.Inbox(factory.DatabasePath) is [{ State: "routed" }], Timeout,
            () => string.Join("; ", StoreProbe.Inbox(factory.DatabasePath).Select(e => $"{e.State} {e.Reason}")));
        Assert.DoesNotContain("hydration:", await SourcesCliAsync(factory.DatabasePath), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ready_PollFailing_IsDegradedWithTheLastPollErrorUntilAPollSucceeds()
    {
        using var api = new FakeRestApi(); // no page served yet: the list answers 404
        using var directory = new TempDirectory();
        await using var process = FieldOpsProcess.Start(directory.Path, api.Environment(directory.Path, interval: "00:00:01"));
        using var client = new HttpClient { BaseAddress = process.BaseAddress, Timeout = TimeSpan.FromSeconds(5) };

        var failing = await WaitForSourcesAsync(client, "Degraded", process);
        Assert.Contains("acme: last poll failed at ", Description(failing), StringComparison.Ordinal);
        Assert.Contains("404", Description(failing), StringComparison.Ordinal);

        api.Page(null, [FakeRestApi.Item(1)], next: null);

        await WaitForSourcesAsync(client, "Healthy", process);
    }

    public void Dispose() => _keys.Dispose();

    private static async Task<JsonElement> ReadyAsync(HttpClient client)
    {
        using var response = await client.GetAsync(new Uri("/health/ready", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode); // Degraded still answers 200: the instance works
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static string Description(JsonElement check) => check.GetProperty("description").GetString() ?? "";

    private static JsonElement Check(JsonElement report, string name) =>
        report.GetProperty("checks").EnumerateArray().Single(c => c.GetProperty("name").GetString() == name);

    private static async Task<JsonElement> WaitForSourcesAsync(HttpClient client, string status, FieldOpsProcess? process = null)
    {
        var deadline = DateTime.UtcNow + Timeout;
        while (true)
        {
            JsonElement? check = null;
            try
            {
                check = Check(await ReadyAsync(client), "sources");
            }
            catch (HttpRequestException) when (process is not null)
            {
                // the process is still starting
            }
            if (check is { } found && found.GetProperty("status").GetString() == status)
                return found;
            Assert.True(DateTime.UtcNow < deadline, $"sources stayed {check}; {process?.StandardOutput}");
            await Task.Delay(100);
        }
    }

    // The admin's view from another process: `fieldops sources` on the same database.
    private static async Task<string> SourcesCliAsync(string databasePath)
    {
        using var directory = new TempDirectory();
        var environment = new Dictionary<string, string>
        {
            ["Store__ConnectionString"] = $"Data Source={databasePath}",
            ["Sources__jobber__Kind"] = "jobber",
        };
        await using var process = FieldOpsProcess.Start(directory.Path, environment, "sources");
        Assert.Equal(0, await process.WaitForExitAsync(TimeSpan.FromSeconds(90)));
        return process.StandardOutput;
    }

    private static async Task PostJobClosedAsync(HttpClient client)
    {
        var body = "{\"data\":{\"webHookEvent\":{\"topic\":\"JOB_CLOSED\",\"appId\":\"app\",\"accountId\":\"acc-1\",\"itemId\":\"" +
            JobberRecords.JobId + "\",\"occurredAt\":\"2025-03-14T17:10:00-06:00\"}}}";
        using var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/jobber") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.TryAddWithoutValidation("X-Jobber-Hmac-SHA256", Signing.JobberSignature(body));
        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }
}
