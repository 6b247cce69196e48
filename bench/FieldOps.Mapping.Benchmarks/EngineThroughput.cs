using System.Diagnostics;
using FieldOps.Bench;
using FieldOps.Integration.Core.Mapping.Evaluation;
using FieldOps.Integration.Core.Mapping.Loading;

namespace FieldOps.Mapping.Benchmarks;

/// <summary>The mapping engine alone, one thread: parse a Jobber JOB_CLOSED payload, normalise, run the four job flows.</summary>
internal static class EngineThroughput
{
    /// <summary>Returns the number of operations one job-completed event plans (the same for every generated job).</summary>
    public static Task<int> RunAsync(DriverOptions options)
    {
        var set = MappingLoader.Load(options.MappingsPath).Set ?? throw new InvalidOperationException("the mappings do not load");
        var engine = new MappingEngine(TimeProvider.System);
        var jobs = options.Jobs(1);
        var bodies = Enumerable.Range(0, 1000).Select(jobs.Body).ToArray();
        var operations = Map(set, engine, bodies[0]);
        WorkCheck.Require(operations >= 10, $"the job-completed sample planned {operations} operations, fewer than the 10 job operations of the four shipped flows");
        for (var i = 0; i < 500; i++)
            Map(set, engine, bodies[i % bodies.Length]);
        var before = GC.GetAllocatedBytesForCurrentThread();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        var count = 0;
        long planned = 0;
        while (watch.Elapsed < TimeSpan.FromSeconds(Math.Max(2, options.Seconds / 2)))
        {
            planned += Map(set, engine, bodies[count % bodies.Length]);
            count++;
        }
        watch.Stop();
        WorkCheck.Require(planned == (long)count * operations, $"engine: {planned} operations planned for {count} events, expected {count * operations}");
        var cpuPerEvent = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMicroseconds / count;
        var allocated = (GC.GetAllocatedBytesForCurrentThread() - before) / count;
        Console.WriteLine($"engine: {count / watch.Elapsed.TotalSeconds:F0} job-completed events/s on one thread " +
            $"({operations} operations each, {1e6 * watch.Elapsed.TotalSeconds / count:F0} µs/event, {allocated / 1024} KB allocated/event, {cpuPerEvent:F0} µs CPU/event " +
            $"= {1e6 / cpuPerEvent:F0} events/s per core of CPU actually received; load average {Load()})");
        return Task.FromResult(operations);
    }

    public static string Load() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "?";

    private static int Map(FieldOps.Integration.Core.Mapping.Model.MappingSet set, MappingEngine engine, string json)
    {
        var ev = SourceEvent.Parse("1", "jobber-main", "jobber", DateTimeOffset.UnixEpoch, "k", json); // as the router reads an inbox event
        var outcome = engine.Map(set, ev);
        return outcome.Kind == MappingOutcomeKind.Routed ? outcome.Operations.Count : throw new WorkNotDoneException($"engine: the event was {outcome.Kind}: {outcome.Reason}");
    }
}
