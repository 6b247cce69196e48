using System.Net.Http.Json;
using System.Text.Json;
using FieldOps.Integration.Core.Storage;
using FieldOps.Integration.Host.Health;
using FieldOps.Integration.Host.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;

namespace FieldOps.Integration.Host.Tests.Health;

/// <summary>
/// Readiness names a background loop that has kept failing: a loop rides a fault out with backoff instead of stopping
/// the service, and logs once per streak, so without this check a bug that stopped routing showed only in one log line
/// while readiness said Healthy.
/// </summary>
public sealed class LoopsHealthCheckTests
{
    [Fact]
    public void Check_ALoopFailingLongEnough_IsDegradedNamingTheLoopAndItsFault()
    {
        var router = new LoopFaults("The router", NullLogger.Instance);
        var dispatcher = new LoopFaults("The outbox dispatcher", NullLogger.Instance);
        router.Failed(new ArgumentException("a driver refused a parameter"));
        router.Failed(new ArgumentException("a driver refused a parameter"));

        var result = LoopsHealthCheck.Check([router, dispatcher], TimeSpan.Zero);

        Assert.Equal(HealthStatus.Degraded, result.Status);
        Assert.StartsWith("The router has failed for 0 s (2 tries, unexpectedly; last: ArgumentException: a driver refused a parameter)", result.Description, StringComparison.Ordinal);
        Assert.DoesNotContain("dispatcher", result.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_AShortStreakOrARecoveredLoop_IsHealthy()
    {
        var router = new LoopFaults("The router", NullLogger.Instance);
        router.Failed(new TimeoutException("the store timed out"));

        Assert.Equal(HealthStatus.Healthy, LoopsHealthCheck.Check([router], TimeSpan.FromMinutes(1)).Status);
        router.Succeeded();
        Assert.Equal(HealthStatus.Healthy, LoopsHealthCheck.Check([router], TimeSpan.Zero).Status);
        Assert.Null(router.Streak);
    }

    [Fact]
    public async Task Ready_TheServiceRunning_ReportsItsLoopsHealthy()
    {
        using var factory = new FieldOpsFactory();
        using var client = factory.CreateClient();

        using var response = await client.GetAsync(new Uri("/health/ready", UriKind.Relative));
        var report = await response.Content.ReadFromJsonAsync<JsonElement>();

        var loops = report.GetProperty("checks").EnumerateArray().Single(c => c.GetProperty("name").GetString() == "loops");
        Assert.Equal("Healthy", loops.GetProperty("status").GetString());
        var names = factory.Services.GetServices<IHostedService>().OfType<IReportsLoopFaults>().SelectMany(s => s.Faults).Select(f => f.Loop).ToList();
        Assert.Contains("The router", names);
        Assert.Contains("The outbox dispatcher", names);
        Assert.Contains("Hydration", names);
    }
}
