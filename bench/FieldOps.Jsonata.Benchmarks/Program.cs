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

BenchmarkSwitcher.FromAssembly(typeof(MappingBenchmarks).Assembly).Run(args);
