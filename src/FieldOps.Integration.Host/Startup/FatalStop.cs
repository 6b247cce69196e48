namespace FieldOps.Integration.Host.Startup;

/// <summary>
/// The host's answer to a background service that fails: <see cref="BackgroundServiceExceptionBehavior.StopHost"/>,
/// chosen deliberately. The loops ride out store and network faults themselves (they back off and carry on), so what
/// still escapes one is a bug, and a process that keeps answering webhooks it can no longer route would hide it. The
/// stop must then say so: the exit code is 1, so a supervisor's <c>Restart=on-failure</c> restarts the service.
/// </summary>
internal static class FatalStop
{
    /// <summary>
    /// The environment variable that makes a background service fail one second after start, to test this path with the
    /// real process (value <c>background-service</c>). Nothing else reads it.
    /// </summary>
    public const string InjectVariable = "FIELDOPS_INJECT_FAULT";

    /// <summary>Sets the behaviour on failure of a background service (see the class remarks).</summary>
    public static IServiceCollection AddFatalStop(this IServiceCollection services)
    {
        services.Configure<HostOptions>(o => o.BackgroundServiceExceptionBehavior = BackgroundServiceExceptionBehavior.StopHost);
        if (Environment.GetEnvironmentVariable(InjectVariable) == "background-service")
            services.AddHostedService<InjectedFault>();
        return services;
    }

    /// <summary>The background services, taken before the host runs (running it disposes its services).</summary>
    public static IReadOnlyList<BackgroundService> BackgroundServices(IServiceProvider services) =>
        services.GetServices<IHostedService>().OfType<BackgroundService>().ToList();

    /// <summary>1 (with one line per failed service on <paramref name="error"/>) when a background service failed, else 0.</summary>
    public static int ExitCode(IReadOnlyList<BackgroundService> services, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(error);
        var failed = services.Where(s => s.ExecuteTask is { IsFaulted: true }).ToList();
        foreach (var service in failed)
            error.WriteLine($"fieldops stopped: {service.GetType().Name} failed: {service.ExecuteTask!.Exception!.GetBaseException().Message}");
        return failed.Count == 0 ? 0 : 1;
    }

    private sealed class InjectedFault(TimeProvider time) : BackgroundService
    {
        protected override async Task ExecuteAsync(CancellationToken stoppingToken)
        {
            await Task.Delay(TimeSpan.FromSeconds(1), time, stoppingToken).ConfigureAwait(false);
            throw new InvalidOperationException($"fault injected by {InjectVariable}");
        }
    }
}
