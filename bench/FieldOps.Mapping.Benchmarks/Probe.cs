using System.Diagnostics;
using System.Text.Json.Nodes;
using FieldOps.Integration.Core.Mapping.Evaluation;
using FieldOps.Integration.Core.Mapping.Loading;

namespace FieldOps.Mapping.Benchmarks;

internal static class Probe
{
    public static void Run(DriverOptions options)
    {
        var set = MappingLoader.Load(options.MappingsPath).Set!;
        var engine = new MappingEngine(TimeProvider.System);
        var ev = new SourceEvent("1", "jobber-main", "jobber", DateTimeOffset.UnixEpoch, "k", JsonNode.Parse(options.JobClosed));
        var canonical = engine.Map(set, ev).CanonicalEvent!;
        var entity = canonical["entity"]!;
        Time("parse", () => JsonNode.Parse(options.JobClosed));
        Time("envelope schema", () => SchemaCatalog.ValidateEnvelope(canonical));
        Time("job schema", () => SchemaCatalog.ValidateEntity("Job", entity));
        var expr = FieldOps.Jsonata.JsonataExpression.Compile("entity.id");
        Time("trivial eval on canonical", () => expr.Evaluate(canonical));
        Time("full map", () => engine.Map(set, ev with { Payload = JsonNode.Parse(options.JobClosed) }));
    }

    private static void Time(string name, Action action)
    {
        for (var i = 0; i < 200; i++) action();
        var w = Stopwatch.StartNew();
        for (var i = 0; i < 1000; i++) action();
        Console.WriteLine($"{name}: {w.Elapsed.TotalMicroseconds / 1000:F1} µs");
    }
}
