using System.Buffers;
using System.Text.Json;
using BenchmarkDotNet.Attributes;

namespace FieldOps.Jsonata.Benchmarks;

/// <summary>Evaluation of the 20-field mapping over the ~2 KB payload: JSONata (both modes) vs hand-written System.Text.Json.</summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 10)]
#pragma warning disable CA1001 // disposables are released in [GlobalCleanup], BenchmarkDotNet's lifecycle hook
public class MappingBenchmarks
#pragma warning restore CA1001
{
    private readonly ArrayBufferWriter<byte> _buffer = new(4096);
    private JsonDocument _payload = null!;
    private JsonDocument _statusMapDoc = null!;
    private Dictionary<string, JsonElement> _bindings = null!;
    private Dictionary<string, string> _statusMap = null!;
    private JsonataExpression _decimal = null!;
    private JsonataExpression _double = null!;
    private Utf8JsonWriter _writer = null!;
    private JsonataValueOrUndefined _prepared;

    /// <summary>The bytes written by the last benchmark call.</summary>
    public ReadOnlySpan<byte> Output => _buffer.WrittenSpan;

    [GlobalSetup]
    public void Setup()
    {
        _payload = JsonDocument.Parse(MappingWorkload.Payload);
        _statusMapDoc = JsonDocument.Parse(MappingWorkload.StatusMap);
        _bindings = new Dictionary<string, JsonElement> { ["statusMap"] = _statusMapDoc.RootElement };
        _statusMap = _statusMapDoc.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!);
        _decimal = JsonataExpression.Compile(MappingWorkload.Mapping);
        _double = JsonataExpression.Compile(MappingWorkload.Mapping, new JsonataOptions { NumberMode = NumberMode.Double });
        _writer = new Utf8JsonWriter(_buffer);
        _prepared = JsonataValueOrUndefined.FromJson(_payload.RootElement);
        VerifySameOutput();
    }

    // A figure is only worth printing when every variant produced the mapping the hand-written code produces.
    private void VerifySameOutput()
    {
        HandWritten();
        using var expected = JsonDocument.Parse(Output.ToArray());
        foreach (var (name, run) in new (string, Func<int>)[] { ("decimal", JsonataDecimal), ("prepared", JsonataDecimalPreparedInput), ("double", JsonataDouble) })
        {
            run();
            using var actual = JsonDocument.Parse(Output.ToArray());
            if (!Same(expected.RootElement, actual.RootElement))
                throw new InvalidOperationException($"JSONata ({name}) does not produce the hand-written mapping's output; no figure would mean anything");
        }
    }

    // Double mode may differ from the exact sum in the last binary digit (59.97 vs 59.970000000000006): numbers agree within 1e-9.
    private static bool Same(JsonElement a, JsonElement b) => (a.ValueKind, b.ValueKind) switch
    {
        (JsonValueKind.Number, JsonValueKind.Number) => Math.Abs(a.GetDouble() - b.GetDouble()) <= 1e-9 * Math.Max(1, Math.Abs(a.GetDouble())),
        (JsonValueKind.Object, JsonValueKind.Object) => a.EnumerateObject().Count() == b.EnumerateObject().Count()
            && a.EnumerateObject().All(p => b.TryGetProperty(p.Name, out var q) && Same(p.Value, q)),
        (JsonValueKind.Array, JsonValueKind.Array) => a.GetArrayLength() == b.GetArrayLength()
            && a.EnumerateArray().Zip(b.EnumerateArray()).All(p => Same(p.First, p.Second)),
        _ => JsonElement.DeepEquals(a, b),
    };

    [GlobalCleanup]
    public void Cleanup()
    {
        _writer.Dispose();
        _payload.Dispose();
        _statusMapDoc.Dispose();
    }

    [Benchmark(Baseline = true, Description = "Hand-written System.Text.Json")]
    public int HandWritten()
    {
        Reset();
        HandWrittenMapping.Map(_payload.RootElement, _statusMap, _writer);
        _writer.Flush();
        return _buffer.WrittenCount;
    }

    [Benchmark(Description = "JSONata, decimal mode")]
    public int JsonataDecimal()
    {
        Reset();
        _decimal.Evaluate(_payload.RootElement, _bindings).WriteTo(_writer);
        _writer.Flush();
        return _buffer.WrittenCount;
    }

    [Benchmark(Description = "JSONata, decimal mode, input converted once")]
    public int JsonataDecimalPreparedInput()
    {
        Reset();
        _decimal.Evaluate(_prepared, _bindings).WriteTo(_writer);
        _writer.Flush();
        return _buffer.WrittenCount;
    }

    [Benchmark(Description = "JSONata, double mode")]
    public int JsonataDouble()
    {
        Reset();
        _double.Evaluate(_payload.RootElement, _bindings).WriteTo(_writer);
        _writer.Flush();
        return _buffer.WrittenCount;
    }

    private void Reset()
    {
        _buffer.ResetWrittenCount();
        _writer.Reset(_buffer);
    }
}
