using BenchmarkDotNet.Attributes;

namespace FieldOps.Jsonata.Benchmarks;

/// <summary>Compile time of the typical 20-field mapping expression.</summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 10)]
public class CompileBenchmarks
{
    [Benchmark(Description = "Compile 20-field mapping")]
    public JsonataExpression Compile() => JsonataExpression.Compile(MappingWorkload.Mapping);
}
