using FieldOps.Integration.Host.Startup;
using Microsoft.Extensions.Options;

namespace FieldOps.Integration.Host.Cli;

/// <summary><c>fieldops run</c>: the service — webhooks, router, dispatcher, health, metrics, admin API.</summary>
internal static class RunCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        WebApplication app;
        try
        {
            app = FieldOpsApplication.Build(args);
            // Check every option before anything starts, so a bad value is one line, not a stack trace.
            app.Services.GetRequiredService<IStartupValidator>().Validate();
        }
        catch (Exception ex) when (ConfigurationErrors.TryDescribe(ex, out var lines))
        {
            foreach (var line in lines)
                Console.Error.WriteLine($"Configuration error: {line}");
            return 2;
        }
        await app.RunAsync().ConfigureAwait(false);
        return 0;
    }
}
