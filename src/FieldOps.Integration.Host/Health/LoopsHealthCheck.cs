using FieldOps.Integration.Core.Storage;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace FieldOps.Integration.Host.Health;

/// <summary>
/// Readiness: Degraded while a background loop (the router, the dispatcher, hydration, the WAL checkpointer) has been
/// failing for a minute or more, naming the loop, how long, and its last fault. A loop that meets a fault rides it out
/// with backoff rather than stopping the service (<see cref="LoopFaults"/>), and logs once per streak: without this an
/// admin would see a bug that stops routing only in that one log line, while readiness said Healthy. An outage of the
/// store shows here too, beside the store check's own answer. Short streaks (a deadlock, a restart of the database) are
/// not reported.
/// </summary>
internal sealed class LoopsHealthCheck(IEnumerable<IHostedService> services) : IHealthCheck
{
    /// <summary>How long a loop fails before readiness says so.</summary>
    public static readonly TimeSpan StreakLimit = TimeSpan.FromMinutes(1);

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(Check(services.OfType<IReportsLoopFaults>().SelectMany(s => s.Faults), StreakLimit));

    /// <summary>The readiness of <paramref name="loops"/>: Degraded when any has failed for <paramref name="limit"/> or more.</summary>
    internal static HealthCheckResult Check(IEnumerable<LoopFaults> loops, TimeSpan limit)
    {
        var failing = loops
            .Select(l => (l.Loop, Streak: l.Streak))
            .Where(l => l.Streak is { } streak && streak.Length >= limit)
            .Select(l => $"{l.Loop} has failed for {Math.Floor(l.Streak!.Length.TotalSeconds):0} s ({l.Streak.Failures} tries, " +
                $"{(l.Streak.Unexpected ? "unexpectedly" : "the store or its target unreachable")}; last: {l.Streak.LastFault})")
            .ToList();
        return failing.Count == 0
            ? HealthCheckResult.Healthy("every background loop is running")
            : HealthCheckResult.Degraded(string.Join("; ", failing) + "; see the log's first line of the streak for the stack");
    }
}
