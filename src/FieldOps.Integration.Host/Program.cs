using FieldOps.Integration.Host.Cli;

return await CommandLine.RunAsync(args).ConfigureAwait(false);
public partial class Program;
