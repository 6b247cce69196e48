using System.Diagnostics;
using System.Net;
using System.Text.Json;
using FieldOps.Integration.Host.Tests.Infrastructure;
using Xunit.Abstractions;

namespace FieldOps.Integration.Host.Tests.Faults;

/// <summary>
/// The service starts with its store down (here the SQLite file's path is taken by a folder, which no user, root
/// included, can open as a database): live 200, ready 503 naming the store, webhooks 503 with Retry-After, and it
/// becomes ready by itself when the store comes back, within the 5 s migration retry.
/// </summary>
public sealed class StoreDownAtStartTests(ITestOutputHelper output) : IDisposable
{
    private readonly TempDirectory _directory = new();

    [Fact]
    public async Task Run_WithTheStoreDown_StartsNotReadyAndBecomesReadyWhenTheStoreComesBack()
    {
        Directory.CreateDirectory(_directory.DatabasePath); // the store cannot be opened
        var environment = new Dictionary<string, string>
        {
            ["Store__ConnectionString"] = $"Data Source={_directory.DatabasePath}",
            ["Sources__jobber__Kind"] = "jobber",
            ["Sources__jobber__Secret"] = FieldOpsFactory.JobberSecret,
            ["Sources__jobber__WebhookOnly"] = "true",
        };
        await using var process = FieldOpsProcess.Start(_directory.Path, environment);
        using var client = new HttpClient { BaseAddress = process.BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        await WaitForAsync(async () => (await TryGetAsync(client, "/health/live")) == HttpStatusCode.OK, TimeSpan.FromSeconds(60), process);

        using (var ready = await client.GetAsync(new Uri("/health/ready", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
            var store = StoreCheck(await ready.Content.ReadAsStringAsync());
            Assert.Equal("Unhealthy", store.GetProperty("status").GetString());
            Assert.StartsWith("store unreachable:", store.GetProperty("description").GetString(), StringComparison.Ordinal);
        }
        int refusedWhileDown;
        await using (var stream = new WebhookStream(process.BaseAddress, TimeSpan.FromMilliseconds(50), "down"))
        {
            await stream.WaitForAnswersAsync(3, TimeSpan.FromSeconds(10));
            await stream.StopAsync();
            Assert.NotEmpty(stream.Answers);
            Assert.All(stream.Answers, a => Assert.Equal(HttpStatusCode.ServiceUnavailable, a.Status));
            Assert.All(stream.Answers, a => Assert.True(a.RetryAfter, "503 without Retry-After"));
            refusedWhileDown = stream.Answers.Count;
        }

        Directory.Delete(_directory.DatabasePath); // the store is back
        var clock = Stopwatch.StartNew();
        await WaitForAsync(async () => (await TryGetAsync(client, "/health/ready")) == HttpStatusCode.OK, TimeSpan.FromSeconds(20), process);
        var toReady = clock.Elapsed;
        Assert.True(toReady < TimeSpan.FromSeconds(10), $"ready {toReady.TotalSeconds:F1} s after the store came back (migrations are retried every 5 s)");

        await using (var stream = new WebhookStream(process.BaseAddress, TimeSpan.FromMilliseconds(20), "up"))
        {
            await stream.WaitForAnswersAsync(5, TimeSpan.FromSeconds(10));
            await stream.StopAsync();
            var stored = InboxProbe.All(_directory.DatabasePath);
            var duplicates = stored.Count - stored.Select(r => r.Body).Distinct(StringComparer.Ordinal).Count();
            output.WriteLine($"SQLite store down at start: {refusedWhileDown + stream.Answers.Count} sent, {refusedWhileDown} answered 503 while down, " +
                $"{stream.Answers.Count(a => a.Status == HttpStatusCode.Accepted)} acknowledged after, {stored.Count} stored, {duplicates} duplicates, " +
                $"ready {toReady.TotalSeconds:F1} s after the store came back");
            Assert.All(stream.Answers, a => Assert.Equal(HttpStatusCode.Accepted, a.Status));
            Assert.Equal(stream.Answers.Count, stored.Count);
            Assert.Equal(0, duplicates);
        }
        Assert.Single(process.StandardOutput.Split('\n'), l => l.Contains("StoreMigrationService", StringComparison.Ordinal) && l.Contains("cannot reach the store", StringComparison.Ordinal));
        AssertLoggedOncePerOutage(process.StandardOutput);
    }

    /// <summary>One outage: each loop logs its failure at most once, and readiness probes log nothing per probe.</summary>
    internal static void AssertLoggedOncePerOutage(string log)
    {
        // "[12:00:01 ERR] FieldOps.Integration.Core.Routing.MappingRouterService: The router cannot reach the store …"
        var loops = log.Split('\n')
            .Where(l => l.Contains(" cannot reach the store or its target", StringComparison.Ordinal) && l.Contains("] ", StringComparison.Ordinal))
            .Select(l => l[(l.IndexOf("] ", StringComparison.Ordinal) + 2)..l.IndexOf(" cannot reach", StringComparison.Ordinal)])
            .ToList();
        Assert.NotEmpty(loops);
        foreach (var loop in loops.Distinct())
            Assert.True(loops.Count(l => l == loop) == 1, $"logged {loops.Count(l => l == loop)} times in one outage: {loop}");
        Assert.DoesNotContain("Health check store with status Unhealthy", log, StringComparison.Ordinal);
    }

    internal static JsonElement StoreCheck(string readyBody) =>
        JsonDocument.Parse(readyBody).RootElement.GetProperty("checks").EnumerateArray().Single(c => c.GetProperty("name").GetString() == "store");

    internal static async Task<HttpStatusCode?> TryGetAsync(HttpClient client, string path)
    {
        try
        {
            using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
            return response.StatusCode;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return null;
        }
    }

    /// <summary>The body of an answer with <paramref name="status"/>; null for another status or no answer.</summary>
    internal static async Task<string?> TryGetBodyAsync(HttpClient client, string path, HttpStatusCode status)
    {
        try
        {
            using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
            return response.StatusCode == status ? await response.Content.ReadAsStringAsync() : null;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return null;
        }
    }

    internal static async Task WaitForAsync(Func<Task<bool>> condition, TimeSpan timeout, FieldOpsProcess process)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"condition not met within {timeout}:\n{process.StandardOutput}\n{process.StandardError}");
            await Task.Delay(100);
        }
    }

    public void Dispose() => _directory.Dispose();
}
