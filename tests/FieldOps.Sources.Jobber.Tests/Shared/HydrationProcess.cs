using FieldOps.Integration.Core.Credentials;
using FieldOps.Integration.Core.Hydration;
using FieldOps.Integration.Core.Intake;
using FieldOps.Integration.Core.Sources;
using FieldOps.Integration.Storage;
using FieldOps.Integration.Storage.Migrations;
using FieldOps.Integration.Storage.Sources;
using FieldOps.Integration.Testing.Logging;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace FieldOps.Sources.Jobber.Tests.Shared;

/// <summary>
/// The hydration half of one <c>fieldops</c> process: its own service container, store connections (its own pool)
/// and instance id, with the Jobber source pointed at a loopback stand-in. Several on one database behave as
/// several processes would, inside one test process.
/// </summary>
internal sealed class HydrationProcess : IAsyncDisposable
{
    private readonly ServiceProvider _services;
    private bool _running;

    private HydrationProcess(ServiceProvider services, List<string> warnings)
    {
        _services = services;
        Warnings = warnings;
    }

    public HydrationService Hydration => _services.GetRequiredService<HydrationService>();

    public IHydrationStore Store => _services.GetRequiredService<IHydrationStore>();

    /// <summary>Warning-level log lines.</summary>
    public List<string> Warnings { get; }

    /// <summary>Builds one process on <paramref name="store"/>; the first migrates the database.</summary>
    public static async Task<HydrationProcess> StartAsync(IDictionary<string, string?> store, Uri jobber, string keysDirectory,
        IDictionary<string, string?>? hydration = null, bool run = true)
    {
        var settings = new Dictionary<string, string?>(store)
        {
            ["Credentials:KeysDirectory"] = keysDirectory,
            ["Sources:jobber:Kind"] = "jobber",
            ["Sources:jobber:Secret"] = "jobber-client-secret",
            ["Sources:jobber:ClientId"] = "jobber-client-id",
            ["Sources:jobber:RefreshToken"] = "refresh-1",
            ["Sources:jobber:ApiBaseUrl"] = jobber.AbsoluteUri,
            ["Sources:jobber:ApiVersion"] = "2025-04-16",
            ["Hydration:ScanInterval"] = "00:00:00.050",
            ["Hydration:LeaseDuration"] = "00:00:03",
        };
        foreach (var (key, value) in hydration ?? new Dictionary<string, string?>())
            settings[key] = value;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var warnings = new List<string>();
        var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(configuration)
            .AddLogging(l => l.AddProvider(new ListLoggerProvider(warnings)))
            .AddFieldOpsStore()
            .AddDispatchStores()
            .AddSourceStores()
            .AddFieldOpsCredentials()
            .AddSourcesCore()
            .AddJobberSource();
        services.AddOptions<SourcesOptions>().BindConfiguration(SourcesOptions.SectionName);
        var process = new HydrationProcess(services.BuildServiceProvider(), warnings);
        await process._services.GetRequiredService<MigrationRunner>().MigrateAsync(CancellationToken.None);
        if (run)
            await process.RunAsync();
        return process;
    }

    public async Task RunAsync()
    {
        await ((IHostedService)Hydration).StartAsync(CancellationToken.None);
        _running = true;
    }

    public async Task StopAsync()
    {
        if (!_running)
            return;
        _running = false;
        await ((IHostedService)Hydration).StopAsync(CancellationToken.None);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        await _services.DisposeAsync();
    }
}
