using System.Net;
using System.Text;
using FieldOps.Integration.Host.Tests.Infrastructure;

namespace FieldOps.Integration.Host.Tests.Intake;

/// <summary>Accepted means durable: events acknowledged before a crash are all there after a restart on the same file.</summary>
public sealed class RestartTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    [Fact]
    public async Task AcceptedEvents_SurviveAKilledProcessAndARestart()
    {
        var environment = new Dictionary<string, string>
        {
            ["Store__ConnectionString"] = $"Data Source={_directory.DatabasePath}",
            ["Sources__jobber__Kind"] = "jobber",
            ["Sources__jobber__Secret"] = FieldOpsFactory.JobberSecret,
            ["Sources__jobber__WebhookOnly"] = "true",
            // Readiness needs mappings (none is 503): the fixture's profile is enough to be ready.
            ["Mappings__Path"] = Path.Combine(AppContext.BaseDirectory, "Fixtures", "mappings"),
        };
        var bodies = Enumerable.Range(1, 25).Select(Body).ToList();

        await using (var first = FieldOpsProcess.Start(_directory.Path, environment))
        {
            await first.WaitUntilReadyAsync(TimeSpan.FromSeconds(30));
            using var client = new HttpClient { BaseAddress = first.BaseAddress };
            foreach (var body in bodies)
            {
                using var response = await client.SendAsync(Request(body));
                Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            }
            first.Kill(); // no graceful shutdown: only what was committed before each 202 may count
        }
        Assert.Equal(25, InboxProbe.Count(_directory.DatabasePath));

        await using var second = FieldOpsProcess.Start(_directory.Path, environment);
        await second.WaitUntilReadyAsync(TimeSpan.FromSeconds(30));
        using var again = new HttpClient { BaseAddress = second.BaseAddress };
        foreach (var body in bodies)
        {
            using var response = await again.SendAsync(Request(body));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode); // every one is known: a duplicate
        }
        Assert.Equal(25, InboxProbe.Count(_directory.DatabasePath));
    }

    private static string Body(int i) =>
        "{\"data\":{\"webHookEvent\":{\"topic\":\"JOB_CLOSED\",\"appId\":\"app\",\"accountId\":\"acc\",\"itemId\":\"job-" + i + "\",\"occurredAt\":\"2025-03-14T12:22:05-06:00\"}}}";

    private static HttpRequestMessage Request(string body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/jobber") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add("X-Jobber-Hmac-SHA256", Signing.JobberSignature(body));
        return request;
    }

    public void Dispose() => _directory.Dispose();
}
