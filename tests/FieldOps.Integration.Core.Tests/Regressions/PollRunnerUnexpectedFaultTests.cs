using FieldOps.Integration.Core.Sources;
using FieldOps.Integration.Core.Tests.Support;
using FieldOps.Integration.Storage.Sources;
using FieldOps.Integration.Testing.Sources;
using Microsoft.Extensions.DependencyInjection;

namespace FieldOps.Integration.Core.Tests.Regressions;

/// <summary>
/// A poll run caught what it took for an outage; any other fault of the store's calls around the pages (reading the
/// watermark, recording the run) escaped to Quartz, which logged it at every run with no backoff of ours and no result.
/// Now the run ends with the error as its result, logged once per failing streak, and the next run polls.
/// </summary>
public sealed class PollRunnerUnexpectedFaultTests
{
    [Fact]
    public async Task Run_ReadingTheWatermarkFailsWithAFaultThatIsNoOutage_EndsWithTheErrorAndTheNextRunPolls()
    {
        var logs = new List<string>();
        await using var host = await PollTestHost.StartAsync("test", new Dictionary<string, string?> { ["Kind"] = "test", ["Poll:Adapter"] = "empty", ["Poll:Interval"] = "00:05:00" },
            services =>
            {
                services.AddKeyedSingleton<IPollAdapter, EmptyAdapter>("empty");
                services.AddSingleton<ISourceStore>(sp => FirstCallFails<ISourceStore>.Wrap(ActivatorUtilities.CreateInstance<SourceStore>(sp),
                    nameof(ISourceStore.GetWatermarkAsync), new ArgumentException("a driver refused a parameter (test)")).Service);
            }, logs);

        var failed = await host.PollAsync();
        var next = await host.PollAsync();

        Assert.Equal("a driver refused a parameter (test)", failed.Error);
        Assert.Null(next.Error);
        Assert.True(next.SweepCompleted);
        lock (logs)
            Assert.Single(logs, l => l.StartsWith("Polling test failed unexpectedly (ArgumentException", StringComparison.Ordinal));
    }

    private sealed class EmptyAdapter : IPollAdapter
    {
        public Task<PollPage> FetchPageAsync(PollRequest request, CancellationToken cancellationToken) => Task.FromResult(new PollPage([], null));
    }
}
