namespace FieldOps.Integration.Host.Cli;

/// <summary>
/// The <c>fieldops</c> verbs. <c>run</c> (the default) starts the service; the others are the admin's tools.
/// Exit codes: 0 success, 1 findings, 2 usage or configuration error.
/// </summary>
internal static class CommandLine
{
    /// <summary>Each verb and what runs it. Add a verb here with one line.</summary>
    private static readonly Dictionary<string, Func<string[], Task<int>>> Verbs = new(StringComparer.Ordinal)
    {
        ["run"] = RunCommand.RunAsync,
        ["validate"] = ValidateCommand.RunAsync,
        ["map"] = MapCommand.RunAsync,
        ["test"] = TestCommand.RunAsync,
        ["connectors"] = ConnectorsCommand.RunAsync,
        ["deadletters"] = DeadLettersCommand.RunAsync,
        ["reroute"] = RerouteCommand.RunAsync,
        ["sources"] = SourcesCommand.RunAsync,
    };

    public static async Task<int> RunAsync(string[] args)
    {
        // No verb, or options first (as test hosts pass them): run the service.
        if (args.Length == 0 || args[0].StartsWith('-'))
            return await RunCommand.RunAsync(args).ConfigureAwait(false);
        if (args[0] is "help" or "--help" or "-h")
            return Usage(Console.Out, 0);
        if (!Verbs.TryGetValue(args[0], out var verb))
        {
            Console.Error.WriteLine($"fieldops: unknown command '{args[0]}'.");
            return Usage(Console.Error, 2);
        }
        try
        {
            return await verb(args[1..]).ConfigureAwait(false);
        }
        catch (Exception ex) when (Startup.ConfigurationErrors.TryDescribe(ex, out var lines))
        {
            // A tool that reads a bad setting (e.g. Company:TimeZone) says so as the service does: one line per key, exit 2.
            foreach (var line in lines)
                Console.Error.WriteLine($"Configuration error: {line}");
            return 2;
        }
    }

    private static int Usage(TextWriter writer, int exitCode)
    {
        writer.WriteLine("usage: fieldops [command] [options]");
        writer.WriteLine("commands: " + string.Join(", ", Verbs.Keys.Order(StringComparer.Ordinal)));
        writer.WriteLine("  run   start the service (the default); --urls overrides http://127.0.0.1:5080");
        writer.WriteLine("  connectors check [name]   live check of connector credentials and reachability");
        return exitCode;
    }
}
