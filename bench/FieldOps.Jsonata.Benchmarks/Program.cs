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
    // A rough stopwatch loop, useful to sanity-check BenchmarkDotNet figures on a noisy machine.
    var bench = new MappingBenchmarks();
    bench.Setup();
    foreach (var (name, run) in new (string, Func<int>)[] { ("hand-written", bench.HandWritten), ("jsonata decimal", bench.JsonataDecimal), ("jsonata decimal prepared", bench.JsonataDecimalPreparedInput), ("jsonata double", bench.JsonataDouble) })
    {
        for (var i = 0; i < 2000; i++)
        {
            run();
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        var sw = System.Diagnostics.Stopwatch.StartNew();
        const int n = 20000;
        for (var i = 0; i < n; i++)
        {
            run();
        }

        var bytes = (GC.GetAllocatedBytesForCurrentThread() - before) / n;
        Console.WriteLine($"{name}: {sw.Elapsed.TotalMilliseconds * 1000 / n:0.0} us/op, {bytes} B/op");
    }

    bench.Cleanup();
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(MappingBenchmarks).Assembly).Run(args);
