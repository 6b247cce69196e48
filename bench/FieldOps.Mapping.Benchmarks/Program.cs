using FieldOps.Bench;
using FieldOps.Mapping.Benchmarks;

// Usage: dotnet run -c Release --project bench/FieldOps.Mapping.Benchmarks -- [--mappings path] [--events N] [--rate perSecond] [--seconds S] [--mapping-threads T] [--batch N] [--commit-group N]
// --probe prints the cost of each step of one mapping instead (parse, schema checks, one evaluation, the whole map);
// --engine-only runs only the mapping engine part (for --seconds / 2, at least 2 s).
// Every part checks its work (events routed = offered, outbox rows = operations planned) before it prints a figure.
var options = DriverOptions.Parse(args);
Console.WriteLine($"mappings: {options.MappingsPath}");
if (args.Contains("--probe")) { Probe.Run(options); return 0; }
return await WorkCheck.RunAsync(async () =>
{
    var operations = await EngineThroughput.RunAsync(options);
    if (args.Contains("--engine-only"))
        return;
    await RouterThroughput.RunAsync(options, operations);
    await RouterLatency.RunAsync(options, operations);
});
