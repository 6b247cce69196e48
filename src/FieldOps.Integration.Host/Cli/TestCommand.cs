using FieldOps.Integration.Core.Mapping.Evaluation;
using FieldOps.Integration.Core.Mapping.Loading;
using FieldOps.Integration.Core.Mapping.Testing;

namespace FieldOps.Integration.Host.Cli;

/// <summary><c>fieldops test [path]</c>: runs the mapping tests kept beside the mappings, printing a diff for each failure.</summary>
internal static class TestCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        if (CliConfiguration.Parse(args) is not { Positional.Count: <= 1 } parsed)
        {
            Console.Error.WriteLine("usage: fieldops test [path]");
            return 2;
        }
        var configuration = CliConfiguration.Load();
        var path = CliConfiguration.MappingsPath(configuration, parsed.Positional.FirstOrDefault());
        if (!Directory.Exists(path))
        {
            Console.Error.WriteLine($"fieldops test: no mappings folder at '{path}'.");
            return 2;
        }
        var load = MappingLoader.Load(path);
        if (load.Set is null)
        {
            foreach (var diagnostic in load.Diagnostics)
                Console.Out.WriteLine(diagnostic);
            return 1;
        }
        var results = await MappingTestRunner.RunAsync(load.Set, new MappingEngine(TimeProvider.System, company: CliConfiguration.Company(configuration))).ConfigureAwait(false);
        foreach (var result in results)
        {
            Console.Out.WriteLine($"{(result.Passed ? "PASS" : "FAIL")} {result.File} ({result.Name})");
            foreach (var difference in result.Differences)
                Console.Out.WriteLine("  " + difference);
        }
        var failed = results.Count(r => !r.Passed);
        Console.Out.WriteLine($"{results.Count - failed} passed, {failed} failed");
        return failed == 0 ? 0 : 1;
    }
}
