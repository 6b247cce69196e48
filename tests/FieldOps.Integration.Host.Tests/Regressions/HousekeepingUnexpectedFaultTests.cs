using FieldOps.Integration.Core.Housekeeping;
using FieldOps.Integration.Host.Jobs;
using FieldOps.Integration.Storage.Sources;
using FieldOps.Integration.Testing.Logging;
using FieldOps.Integration.Testing.Stores;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace FieldOps.Integration.Host.Tests.Regressions;

/// <summary>
/// The housekeeping job caught what it took for an outage; any other fault escaped to Quartz, which logged it at every
/// run. Now it is logged once per failing streak, as unexpected, and the next run tries again.
/// </summary>
public sealed class HousekeepingUnexpectedFaultTests
{
    [Fact]
    public async Task Execute_PruningFailsWithAFaultThatIsNoOutage_LogsItOnceAndTheNextRunsGoOn()
    {
        using var db = new TestStore();
        var store = new PruneFailsTwice(new RetentionStore(db.Connections));
        var lines = new List<string>();
        using var logs = LoggerFactory.Create(b => b.AddProvider(new ListLoggerProvider(lines)));
        var housekeeper = new Housekeeper(store, Microsoft.Extensions.Options.Options.Create(new HousekeepingOptions()), TimeProvider.System,
            NullLogger<Housekeeper>.Instance);
        var job = new HousekeepingJob(housekeeper, new HousekeepingFaults(logs.CreateLogger<HousekeepingJob>()));

        for (var run = 0; run < 3; run++)
            await job.Execute(null!, CancellationToken.None);

        Assert.Equal(3, store.Prunes);
        Assert.Equal(2, lines.Count);
        Assert.StartsWith("Housekeeping failed unexpectedly (ArgumentException: a driver refused a parameter (test))", lines[0], StringComparison.Ordinal);
        Assert.StartsWith("Housekeeping recovered after 2 failed tries", lines[1], StringComparison.Ordinal);
    }

    private sealed class PruneFailsTwice(IRetentionStore inner) : IRetentionStore
    {
        public int Prunes { get; private set; }

        public Task<RetentionResult> PruneAsync(RetentionCutoffs cutoffs, int batchSize, CancellationToken cancellationToken) =>
            ++Prunes <= 2 ? throw new ArgumentException("a driver refused a parameter (test)") : inner.PruneAsync(cutoffs, batchSize, cancellationToken);

        public Task<string> CompactAsync(double freeRatio, long minFreePages, CancellationToken cancellationToken) =>
            inner.CompactAsync(freeRatio, minFreePages, cancellationToken);
    }
}
