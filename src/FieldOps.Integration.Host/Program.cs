using FieldOps.Integration.Host.Cli;

using (ScrubbingConsole.InstallForTools(args))
    return await CommandLine.RunAsync(args).ConfigureAwait(false);
public partial class Program;
