using FieldOps.Integration.Core.Secrets;

namespace FieldOps.Integration.Host.Cli;

/// <summary>
/// Routes the admin tools' console output (stdout and stderr) through the <see cref="SecretScrubber"/>, line by
/// line. The service itself (<c>run</c>) is not wrapped: its output is the log, which the logging pipeline scrubs.
/// </summary>
internal sealed class ScrubbingConsole : IDisposable
{
    private readonly TextWriter _out;
    private readonly TextWriter _error;
    private readonly ScrubbingTextWriter _scrubbedOut;
    private readonly ScrubbingTextWriter _scrubbedError;

    private ScrubbingConsole(SecretScrubber scrubber)
    {
        (_out, _error) = (Console.Out, Console.Error);
        _scrubbedOut = new ScrubbingTextWriter(_out, scrubber);
        _scrubbedError = new ScrubbingTextWriter(_error, scrubber);
        Console.SetOut(_scrubbedOut);
        Console.SetError(_scrubbedError);
        Active = scrubber;
    }

    /// <summary>The scrubber of the running admin tool, shared with any service it builds (so tokens it fetches are known).</summary>
    public static SecretScrubber? Active { get; private set; }

    /// <summary>Wraps the console for an admin tool; null for the service (no verb, an option first, or <c>run</c>).</summary>
    public static ScrubbingConsole? InstallForTools(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (args.Length == 0 || args[0].StartsWith('-') || args[0] == "run")
            return null;
        var scrubber = new SecretScrubber(CliConfiguration.Load());
        scrubber.AddConfiguration(CommandLineSettings(args));
        return new ScrubbingConsole(scrubber);
    }

    /// <summary><c>--Key=value</c> settings given on the command line (the tools accept configuration overrides).</summary>
    private static IConfiguration CommandLineSettings(string[] args) =>
        new ConfigurationBuilder().AddInMemoryCollection(args
            .Where(a => a.StartsWith("--", StringComparison.Ordinal) && a.Contains('=', StringComparison.Ordinal))
            .Select(a => new KeyValuePair<string, string?>(a[2..a.IndexOf('=', StringComparison.Ordinal)], a[(a.IndexOf('=', StringComparison.Ordinal) + 1)..])))
            .Build();

    public void Dispose()
    {
        _scrubbedOut.Flush();
        _scrubbedError.Flush();
        Console.SetOut(_out);
        Console.SetError(_error);
        Active = null;
    }
}
