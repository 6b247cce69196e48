using FieldOps.Integration.Core.Intake;
using FieldOps.Integration.Core.Mapping.Loading;

namespace FieldOps.Integration.Host.Cli;

/// <summary>What the admin's mapping tools read from <c>appsettings.json</c> and the environment, without starting the service.</summary>
internal static class CliConfiguration
{
    public static IConfiguration Load() =>
        new ConfigurationBuilder()
            .SetBasePath(Directory.GetCurrentDirectory())
            .AddJsonFile("appsettings.json", optional: true)
            .AddEnvironmentVariables()
            .Build();

    /// <summary>The mappings folder: the argument, else <c>Mappings:Path</c>, else <c>mappings</c>.</summary>
    public static string MappingsPath(IConfiguration configuration, string? argument) =>
        argument ?? configuration[$"{MappingOptions.SectionName}:Path"] ?? MappingOptions.DefaultPath;

    /// <summary>The kind of source <paramref name="source"/>: <c>Sources:{name}:Kind</c>, else the name itself taken as a kind.</summary>
    public static string SourceKind(IConfiguration configuration, string source) =>
        configuration[$"{SourcesOptions.SectionName}:{source}:Kind"] is { Length: > 0 } kind ? kind : source;

    /// <summary>Reads <c>--name value</c> options and positional arguments; null when an option lacks its value.</summary>
    public static (Dictionary<string, string> Options, List<string> Positional)? Parse(string[] args, params string[] optionNames)
    {
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        var positional = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i].StartsWith("--", StringComparison.Ordinal))
            {
                if (!optionNames.Contains(args[i]) || i + 1 >= args.Length)
                    return null;
                options[args[i]] = args[++i];
            }
            else
            {
                positional.Add(args[i]);
            }
        }
        return (options, positional);
    }
}
