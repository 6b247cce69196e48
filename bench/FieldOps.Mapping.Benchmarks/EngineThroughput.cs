using System.Diagnostics;
using System.Text.Json.Nodes;
using FieldOps.Integration.Core.Mapping.Evaluation;
using FieldOps.Integration.Core.Mapping.Loading;

namespace FieldOps.Mapping.Benchmarks;

/// <summary>The mapping engine alone, one thread: parse the Jobber JOB_CLOSED payload, normalise, run the four job flows.</summary>
internal static class EngineThroughput
{
    public static Task RunAsync(DriverOptions options)
    {
        var set = MappingLoader.Load(options.MappingsPath).Set ?? throw new InvalidOperationException("the mappings do not load");
        var engine = new MappingEngine(TimeProvider.System);
        var json = options.JobClosed;
        var operations = 0;
        for (var i = 0; i < 500; i++)
            operations = Map(set, engine, json);
        var before = GC.GetAllocatedBytesForCurrentThread();
        var watch = Stopwatch.StartNew();
        var count = 0;
        while (watch.Elapsed < TimeSpan.FromSeconds(Math.Max(2, options.Seconds / 2)))
        {
            Map(set, engine, json);
            count++;
        }
        watch.Stop();
        var allocated = (GC.GetAllocatedBytesForCurrentThread() - before) / count;
        Console.WriteLine($"engine: {count / watch.Elapsed.TotalSeconds:F0} job-completed events/s on one thread " +
            $"({operations} operations each, {1e6 * watch.Elapsed.TotalSeconds / count:F0} µs/event, {allocated / 1024} KB allocated/event)");
        return Task.CompletedTask;
    }

    private static int Map(FieldOps.Integration.Core.Mapping.Model.MappingSet set, MappingEngine engine, string json)
    {
        var ev = new SourceEvent("1", "jobber-main", "jobber", DateTimeOffset.UnixEpoch, "k", JsonNode.Parse(json));
        var outcome = engine.Map(set, ev);
        return outcome.Kind == MappingOutcomeKind.Routed ? outcome.Operations.Count : throw new InvalidOperationException(outcome.Reason);
    }
}
