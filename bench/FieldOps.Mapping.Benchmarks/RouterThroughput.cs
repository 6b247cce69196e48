using System.Diagnostics;

namespace FieldOps.Mapping.Benchmarks;

/// <summary>A backlog of Jobber JOB_CLOSED events in the inbox, routed through all four job flows into the outbox.</summary>
internal static class RouterThroughput
{
    public static async Task RunAsync(DriverOptions options)
    {
        await using var fixture = await StoreFixture.CreateAsync(options.MappingsPath);
        var json = options.JobClosed;
        await Task.WhenAll(Enumerable.Range(0, options.Events).Select(_ => fixture.AppendAsync(json)));
        var watch = Stopwatch.StartNew();
        var routed = 0;
        int batch;
        while ((batch = await fixture.Router.RouteBatchAsync(CancellationToken.None)) > 0)
            routed += batch;
        watch.Stop();
        var rows = await fixture.OutboxCountAsync();
        Console.WriteLine($"router: {routed / watch.Elapsed.TotalSeconds:F0} routed events/s over SQLite ({routed} events, {rows} outbox rows, " +
            $"{rows / watch.Elapsed.TotalSeconds:F0} rows/s, {watch.Elapsed.TotalSeconds:F1} s)");
    }
}
