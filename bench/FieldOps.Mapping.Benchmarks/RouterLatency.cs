using System.Diagnostics;

namespace FieldOps.Mapping.Benchmarks;

/// <summary>
/// Events committed to the inbox at a steady rate while the router runs as in the service (batch, then the idle delay
/// when nothing is new); the time from each inbox commit to its outbox rows' commit (<c>inbox.routed_at</c>).
/// </summary>
internal static class RouterLatency
{
    public static async Task RunAsync(DriverOptions options, int operationsPerEvent)
    {
        await using var fixture = await StoreFixture.CreateAsync(options.Router);
        var total = options.Rate * options.Seconds;
        var jobs = options.Jobs(3);
        var bodies = Enumerable.Range(0, total).Select(jobs.Body).ToArray();
        using var stop = new CancellationTokenSource();
        var router = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                if (await fixture.Router.RouteBatchAsync(CancellationToken.None) == 0)
                    await Task.Delay(new FieldOps.Integration.Core.Mapping.Loading.MappingOptions().IdleDelay, CancellationToken.None);
            }
        });
        var committed = new Dictionary<long, long>();
        var interval = TimeSpan.FromSeconds(1.0 / options.Rate);
        var watch = Stopwatch.StartNew();
        var pending = new List<Task>();
        for (var i = 0; i < total; i++)
        {
            var due = interval * i;
            if (due > watch.Elapsed)
                await Task.Delay(due - watch.Elapsed);
            var body = bodies[i];
            pending.Add(Task.Run(async () =>
            {
                var id = await fixture.AppendAsync(body);
                var at = TimeProvider.System.GetUtcNow().ToUnixTimeMilliseconds();
                lock (committed)
                    committed[id] = at;
            }));
        }
        await Task.WhenAll(pending);
        var deadline = Stopwatch.StartNew();
        Dictionary<long, long> routed;
        while ((routed = await fixture.RoutedAtAsync()).Count < total && deadline.Elapsed < TimeSpan.FromSeconds(30))
            await Task.Delay(100);
        await stop.CancelAsync();
        await router;
        await fixture.RequireAllRoutedAsync(total, operationsPerEvent);
        var latencies = committed.Where(c => routed.ContainsKey(c.Key)).Select(c => Math.Max(0, routed[c.Key] - c.Value)).Order().ToArray();
        Console.WriteLine($"latency at {options.Rate} events/s for {options.Seconds} s: inbox commit -> outbox rows " +
            $"p50 {Percentile(latencies, 0.50)} ms, p99 {Percentile(latencies, 0.99)} ms, max {latencies[^1]} ms ({latencies.Length}/{total} routed; load average {EngineThroughput.Load()})");
    }

    private static long Percentile(long[] sorted, double p) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
}
