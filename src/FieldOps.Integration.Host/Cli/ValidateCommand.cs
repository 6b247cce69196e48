using FieldOps.Integration.Core.Mapping.Loading;

namespace FieldOps.Integration.Host.Cli;

/// <summary><c>fieldops validate [path]</c>: schema and expression check of every mapping file, each problem as <c>file:line:column: message</c>.</summary>
internal static class ValidateCommand
{
    public static Task<int> RunAsync(string[] args)
    {
        if (CliConfiguration.Parse(args) is not { Positional.Count: <= 1 } parsed)
            return Task.FromResult(Usage());
        var path = CliConfiguration.MappingsPath(CliConfiguration.Load(), parsed.Positional.FirstOrDefault());
        if (!Directory.Exists(path))
        {
            Console.Error.WriteLine($"fieldops validate: no mappings folder at '{path}'.");
            return Task.FromResult(2);
        }
        var result = MappingLoader.Load(path);
        foreach (var diagnostic in result.Diagnostics)
            Console.Out.WriteLine(diagnostic);
        if (result.Set is null)
        {
            Console.Error.WriteLine($"{result.Diagnostics.Count} problem(s) in {path}.");
            return Task.FromResult(1);
        }
        Console.Out.WriteLine($"{path}: ok ({result.Set.Summary}).");
        return Task.FromResult(0);
    }

    private static int Usage()
    {
        Console.Error.WriteLine("usage: fieldops validate [path]");
        return 2;
    }
}
