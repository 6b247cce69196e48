using FieldOps.Integration.Host.Startup;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Options;

namespace FieldOps.Integration.Host.Cli;

/// <summary>
/// <c>fieldops run</c>: the service — webhooks, router, dispatcher, health, metrics, admin API. Exit codes: 0 after a
/// requested stop, 1 when the service stopped on an unexpected fault (a background service failed, so a supervisor's
/// <c>Restart=on-failure</c> restarts it), 2 for a configuration error.
/// </summary>
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
        var urls = app.Configuration["urls"] is { Length: > 0 } configured ? configured : FieldOpsApplication.DefaultUrl;
        if (PortCheck.FirstInUse(urls) is { } taken)
        {
            Console.Error.WriteLine($"fieldops: cannot listen on {taken}: the address is already in use; stop the other process or choose another address with --urls.");
            await app.DisposeAsync().ConfigureAwait(false);
            return 2;
        }
        var background = FatalStop.BackgroundServices(app.Services);
        try
        {
            await app.RunAsync().ConfigureAwait(false);
        }
        catch (IOException ex) when (IsAddressInUse(ex))
        {
            // Kestrel's message names the address: "Failed to bind to address http://127.0.0.1:5080: address already in use."
            Console.Error.WriteLine($"fieldops: {ex.Message.TrimEnd('.')}; stop the other process or choose another address with --urls.");
            return 2;
        }
        catch (OperationCanceledException) when (FatalStop.ExitCode(background, TextWriter.Null) != 0)
        {
            // A background service failed while the host was still starting: the start was cancelled. Reported below.
        }
        return FatalStop.ExitCode(background, Console.Error);
    }

    /// <summary>True for Kestrel's "address already in use", which the logging setup keeps out of the log as well.</summary>
    public static bool IsAddressInUse(Exception? ex)
    {
        for (; ex is not null; ex = ex.InnerException)
        {
            if (ex is AddressInUseException)
                return true;
        }
        return false;
    }
}
