using System.Diagnostics;
using FieldOps.Bench;
using FieldOps.Integration.Storage;

namespace FieldOps.Mapping.Benchmarks;

/// <summary>A backlog of distinct Jobber JOB_CLOSED events in the inbox, routed through all four job flows into the outbox.</summary>
internal static class RouterThroughput
{
    public static async Task RunAsync(DriverOptions options, int operationsPerEvent)
    {
        await using var fixture = await StoreFixture.CreateAsync(options.Router);
        var jobs = options.Jobs(2);
        var bodies = Enumerable.Range(0, options.Events).Select(jobs.Body).ToArray();
        await fixture.AppendAllAsync(bodies);
        using var sampler = options.Allocations ? new AllocationSampler() : null;
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var written = ProcessIo.Read("self").Written;
        var paused = GC.GetTotalPauseDuration();
        var collections = GC.CollectionCount(0);
        var gen1 = GC.CollectionCount(1);
        var gen2 = GC.CollectionCount(2);
        var allocated = GC.GetTotalAllocatedBytes();
        var turns = fixture.Connections.WriteTurns.Totals(WritePriority.Normal);
        var watch = Stopwatch.StartNew();
        var handled = 0;
        int batch;
        while ((batch = await fixture.Router.RouteBatchAsync(CancellationToken.None)) > 0)
            handled += batch;
        watch.Stop();
        var cpuPerEvent = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMicroseconds / handled;
        var writtenPerEvent = (ProcessIo.Read("self").Written - written) / 1024.0 / handled; // null where /proc cannot be read
        var gc = $"GC: {(GC.GetTotalPauseDuration() - paused).TotalMilliseconds:F0} ms paused in {GC.CollectionCount(0) - collections} collections ({GC.CollectionCount(1) - gen1} of gen1, {GC.CollectionCount(2) - gen2} of gen2; " +
            $"the last gen0 promoted {GC.GetGCMemoryInfo(GCKind.Ephemeral).PromotedBytes / 1024} KB), " +
            $"{(GC.GetTotalAllocatedBytes() - allocated) / 1024.0 / handled:F0} KB allocated/event";
        var held = fixture.Connections.WriteTurns.Totals(WritePriority.Normal);
        var lockShare = $"the router held the write lock (its claims and commits) {(held.Held - turns.Held).TotalMicroseconds / handled:F0} µs/event ({(held.Held - turns.Held).TotalSeconds / watch.Elapsed.TotalSeconds:P0} of the run, {held.Turns - turns.Turns} turns)";
        sampler?.Print(handled);
        var routed = (await fixture.RoutedAtAsync()).Count;
        var rows = await fixture.OutboxCountAsync();
        await fixture.RequireAllRoutedAsync(options.Events, operationsPerEvent);
        Console.WriteLine($"router: {routed / watch.Elapsed.TotalSeconds:F0} routed events/s over SQLite ({routed}/{options.Events} events routed, {rows} outbox rows, " +
            $"{rows / watch.Elapsed.TotalSeconds:F0} rows/s, {watch.Elapsed.TotalSeconds:F1} s; {cpuPerEvent:F0} µs CPU/event " +
            $"= {1e6 / cpuPerEvent:F0} events/s per core of CPU received; {writtenPerEvent?.ToString("F1", System.Globalization.CultureInfo.InvariantCulture) ?? "n/a"} KB written/event; {lockShare}; {gc}; load average {EngineThroughput.Load()})");
    }
}
