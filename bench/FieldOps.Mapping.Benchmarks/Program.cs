using FieldOps.Mapping.Benchmarks;

// Usage: dotnet run -c Release --project bench/FieldOps.Mapping.Benchmarks -- [--mappings path] [--events N] [--rate perSecond] [--seconds S]
var options = DriverOptions.Parse(args);
Console.WriteLine($"mappings: {options.MappingsPath}");
if (args.Contains("--probe")) { Probe.Run(options); return; }
await EngineThroughput.RunAsync(options);
await RouterThroughput.RunAsync(options);
await RouterLatency.RunAsync(options);
