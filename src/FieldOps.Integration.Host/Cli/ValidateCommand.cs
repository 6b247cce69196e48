using FieldOps.Integration.Core.Mapping.Loading;

namespace FieldOps.Integration.Host.Cli;

/// <summary>
/// <c>fieldops validate [path ...]</c>: checks mapping folders (every file, and how they fit together) or single files:
/// schema, expressions, function names and event types, each problem as <c>file:line:column: message</c>.
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
        foreach (var path in paths)
        {
            if (File.Exists(path))
            {
                var diagnostics = MappingLoader.ValidateFiles([path]);
                foreach (var diagnostic in diagnostics)
                    Console.Out.WriteLine(diagnostic);
                problems += diagnostics.Count;
                if (diagnostics.Count == 0)
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
                problems += Math.Max(1, result.Diagnostics.Count);
            else
                Console.Out.WriteLine($"{path}: ok ({result.Set.Summary}).");
        }
        if (problems == 0)
            return Task.FromResult(0);
        Console.Error.WriteLine($"{problems} problem(s).");
        return Task.FromResult(1);
    }
}
