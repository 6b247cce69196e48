using BenchmarkDotNet.Running;
using FieldOps.Jsonata.Benchmarks;

if (args.Length > 0 && args[0] == "--verify")
{
    // Prints both mapping outputs so they can be compared before measuring.
    var bench = new MappingBenchmarks();
    bench.Setup();
    bench.HandWritten();
    Console.WriteLine(System.Text.Encoding.UTF8.GetString(bench.Output));
    bench.JsonataDecimal();
    Console.WriteLine(System.Text.Encoding.UTF8.GetString(bench.Output));
    bench.Cleanup();
    return;
}

if (args.Length > 0 && args[0] == "--quick")
{
    // A stopwatch loop that also reports process CPU time per operation: on a loaded machine CPU time is far steadier than wall time.
    var bench = new MappingBenchmarks();
    bench.Setup();
    foreach (var (name, run) in new (string, Func<int>)[] { ("hand-written", bench.HandWritten), ("jsonata decimal", bench.JsonataDecimal), ("jsonata decimal prepared", bench.JsonataDecimalPreparedInput), ("jsonata double", bench.JsonataDouble) })
    {
        // Warm up for two seconds so tiered compilation has promoted the hot methods before measuring.
        var warm = System.Diagnostics.Stopwatch.StartNew();
        while (warm.Elapsed < TimeSpan.FromSeconds(2))
        {
            run();
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        var cpuBefore = System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime;
        var sw = System.Diagnostics.Stopwatch.StartNew();
        const int n = 50000;
        for (var i = 0; i < n; i++)
        {
            run();
        }

        var bytes = (GC.GetAllocatedBytesForCurrentThread() - before) / n;
        var cpu = System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
        Console.WriteLine($"{name}: wall {sw.Elapsed.TotalMilliseconds * 1000 / n:0.0} us/op, CPU {cpu.TotalMilliseconds * 1000 / n:0.0} us/op, {bytes} B/op");
    }

    bench.Cleanup();
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(MappingBenchmarks).Assembly).Run(args);
