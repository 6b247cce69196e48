using FieldOps.Integration.Core.Mapping.Evaluation;
using FieldOps.Integration.Core.Mapping.Loading;
using FieldOps.Integration.Core.Mapping.Testing;

namespace FieldOps.Integration.Host.Cli;

/// <summary>
/// <c>fieldops test [path] [--update]</c>: runs the mapping tests kept beside the mappings, printing a diff for each
/// failure; with <c>--update</c>, rewrites each failing test's expectations with what the mappings now produce.
/// </summary>
internal static class TestCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        var (rest, flags) = CliStore.Flags(args, "--update");
        if (CliConfiguration.Parse(rest) is not { Positional.Count: <= 1 } parsed)
        {
            Console.Error.WriteLine("usage: fieldops test [path] [--update]");
            return 2;
        }
        var configuration = CliConfiguration.Load();
        var path = CliConfiguration.MappingsPath(configuration, parsed.Positional.FirstOrDefault());
        if (!Directory.Exists(path))
        {
            Console.Error.WriteLine($"fieldops test: no mappings folder at '{Path.GetFullPath(path)}'.");
            return 2;
        }
        var load = MappingLoader.Load(path);
        if (load.Set is null)
        {
            foreach (var diagnostic in load.Diagnostics)
                Console.Out.WriteLine(diagnostic);
            return 1;
        }
        var update = flags.Contains("--update");
        var results = await MappingTestRunner.RunAsync(load.Set, new MappingEngine(TimeProvider.System, company: CliConfiguration.Company(configuration))).ConfigureAwait(false);
        var failed = 0;
        foreach (var result in results)
        {
            if (!result.Passed && update && result.Updated is { } expect)
            {
                MappingTestFile.RewriteExpect(result.File, expect);
                Console.Out.WriteLine($"UPDATED {result.File} ({result.Name})");
                foreach (var difference in result.Differences)
                    Console.Out.WriteLine("  was: " + difference);
                continue;
            }
            Console.Out.WriteLine($"{(result.Passed ? "PASS" : "FAIL")} {result.File} ({result.Name})");
            foreach (var difference in result.Differences)
                Console.Out.WriteLine("  " + difference);
            if (!result.Passed)
            {
                failed++;
                if (update)
                    Console.Out.WriteLine("  (not updated: the test expects no operations, or the event was not routed; edit it by hand)");
            }
        }
        Console.Out.WriteLine($"{results.Count - failed} passed, {failed} failed");
        return failed == 0 ? 0 : 1;
    }
}
