using System.Reflection;
using FieldOps.Integration.Core.Text;

namespace FieldOps.Integration.Host.Cli;

/// <summary>
/// The <c>fieldops</c> command line: finds the verb (<see cref="CliVerbs"/>), answers <c>--help</c>/<c>-h</c> at every
/// level and <c>--version</c> without touching anything, and refuses unknown verbs and options with the nearest name.
/// Exit codes: 0 success, 1 findings, 2 usage or configuration error.
/// </summary>
internal static class CommandLine
{
    public static async Task<int> RunAsync(string[] args)
    {
        if (args is ["--version"] or ["run", "--version"])
        {
            Console.Out.WriteLine($"fieldops {Version}");
            return 0;
        }
        if (args is ["help", .. var topic])
            args = [.. topic, "--help"];

        // Walk down the verbs named first; no verb (or options first, as hosts pass them) is `run`.
        var path = new List<CliVerb> { CliVerbs.Root };
        var index = 0;
        while (index < args.Length && !args[index].StartsWith('-') && path[^1].Verbs.Count > 0)
        {
            var current = path[^1];
            if (current.Find(args[index]) is not { } next)
                return UnknownVerb(path, args[index]);
            path.Add(next);
            index++;
        }
        var rest = args[index..];
        if (rest.Any(a => a is "--help" or "-h"))
        {
            CliHelp.Write(Console.Out, path);
            return 0;
        }
        var verb = path[^1];
        if (verb == CliVerbs.Root)
        {
            if (rest.Length > 0 && rest[0] == "--version")
                return UsageError(path, "--version takes no other arguments");
            verb = CliVerbs.Run;
            path.Add(verb);
        }
        if (verb.Run is null)
        {
            CliHelp.Write(Console.Error, path);
            return 2;
        }
        if (CheckOptions(verb, rest) is { } problem)
            return UsageError(path, problem);
        try
        {
            return await verb.Run(rest).ConfigureAwait(false);
        }
        catch (Exception ex) when (Startup.ConfigurationErrors.TryDescribe(ex, out var lines))
        {
            // A tool that reads a bad setting (e.g. Company:TimeZone) says so as the service does: one line per key, exit 2.
            foreach (var line in lines)
                Console.Error.WriteLine($"Configuration error: {line}");
            return 2;
        }
    }

    /// <summary>The product version: the assembly's informational version.</summary>
    public static string Version =>
        typeof(CommandLine).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(CommandLine).Assembly.GetName().Version?.ToString() ?? "unknown";

    /// <summary>The first option of <paramref name="args"/> that <paramref name="verb"/> does not take, said as an error; null when all are known.</summary>
    private static string? CheckOptions(CliVerb verb, string[] args)
    {
        for (var i = 0; i < args.Length; i++)
        {
            var argument = args[i];
            if (argument == "--")
                return null;
            if (!argument.StartsWith('-') || argument == "-")
                continue;
            var equals = argument.IndexOf('=', StringComparison.Ordinal);
            var name = equals > 0 ? argument[..equals] : argument;
            if (verb.Option(name) is { } option)
            {
                if (option.Value is not null && equals < 0)
                {
                    if (i + 1 >= args.Length)
                        return $"option '{name}' needs a value <{option.Value}>";
                    i++;
                }
                continue;
            }
            var known = verb.Options.Where(o => !o.Name.Contains(':', StringComparison.Ordinal)).Select(o => o.Name);
            var near = NearestName.Find(name, known);
            if (verb.AcceptsConfiguration && near is null && (name.Contains(':', StringComparison.Ordinal) || equals > 0))
            {
                if (equals < 0)
                    i++; // --Section:Key value
                continue;
            }
            return $"unknown option '{name}'" + (near is null ? "" : $" (did you mean '{near}'?)");
        }
        return null;
    }

    private static int UnknownVerb(List<CliVerb> path, string typed)
    {
        var names = path[^1].Verbs.Select(v => v.Name).ToList();
        var what = path.Count == 1 ? "command" : "sub-command";
        return UsageError(path, $"unknown {what} '{typed}'{NearestName.Hint(typed, names)}; known: {string.Join(", ", names)}");
    }

    private static int UsageError(List<CliVerb> path, string problem)
    {
        var command = string.Join(' ', path.Select(v => v.Name));
        Console.Error.WriteLine($"{command}: {problem}.");
        Console.Error.WriteLine($"Run '{command} --help' for usage.");
        return 2;
    }
}
