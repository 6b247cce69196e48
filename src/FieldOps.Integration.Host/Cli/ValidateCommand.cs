using FieldOps.Integration.Core.Mapping.Loading;

namespace FieldOps.Integration.Host.Cli;

/// <summary>
/// <c>fieldops validate [path ...]</c>: checks mapping folders (every file, and how they fit together) or single files:
/// schema, expressions, function names and event types, and each flow's fields against its target's own schema
/// (QuickBooks' XSD, BambooHR's OpenAPI, shipped in the build), each problem as <c>file:line:column: message</c>.
/// Warnings (e.g. a string expression into a decimal field) are printed but do not fail the check.
/// </summary>
internal static class ValidateCommand
{
    public static Task<int> RunAsync(string[] args)
    {
        if (CliConfiguration.Parse(args) is not { } parsed)
        {
            Console.Error.WriteLine("usage: fieldops validate [path ...]");
            return Task.FromResult(2);
        }
        var paths = parsed.Positional.Count > 0 ? parsed.Positional : [CliConfiguration.MappingsPath(CliConfiguration.Load(), null)];
        var problems = 0;
        var warnings = 0;
        foreach (var path in paths)
        {
            if (File.Exists(path))
            {
                var diagnostics = MappingLoader.ValidateFiles([path]);
                foreach (var diagnostic in diagnostics)
                    Console.Out.WriteLine(diagnostic);
                var errors = diagnostics.Count(d => !d.IsWarning);
                problems += errors;
                warnings += diagnostics.Count - errors;
                if (errors == 0)
                    Console.Out.WriteLine($"{path}: ok.");
                continue;
            }
            if (!Directory.Exists(path))
            {
                Console.Error.WriteLine($"fieldops validate: no mapping file or folder at '{Path.GetFullPath(path)}'.");
                return Task.FromResult(2);
            }
            var result = MappingLoader.Load(path);
            foreach (var diagnostic in result.Diagnostics)
                Console.Out.WriteLine(diagnostic);
            if (result.Set is null)
                problems += Math.Max(1, result.Errors.Count);
            else
                Console.Out.WriteLine($"{path}: ok ({result.Set.Summary}).");
            warnings += result.Diagnostics.Count(d => d.IsWarning);
        }
        if (warnings > 0)
            Console.Error.WriteLine($"{warnings} warning(s).");
        if (problems == 0)
            return Task.FromResult(0);
        Console.Error.WriteLine($"{problems} problem(s).");
        return Task.FromResult(1);
    }
}
