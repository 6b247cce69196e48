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
using Microsoft.Extensions.Logging;
using WireMock.Server;

namespace FieldOps.Sources.Jobber.Tests;

/// <summary>
/// The Jobber adapter with the real credentials store over a temporary SQLite file, pointed at a WireMock.Net server
/// standing in for Jobber (GraphQL at <c>/graphql</c>, tokens at <c>/oauth/token</c>).
/// </summary>
public sealed class JobberTestHost : IAsyncDisposable
{
    private readonly string _directory;

    private JobberTestHost(ServiceProvider services, WireMockServer server, string directory, List<string> warnings)
    {
        Services = services;
        Server = server;
        _directory = directory;
        Warnings = warnings;
    }

    public ServiceProvider Services { get; }

    public WireMockServer Server { get; }

    /// <summary>Warning-level log lines, as an admin would read them.</summary>
    public List<string> Warnings { get; }

    /// <summary>A setting of this host (another host given its store and keys is a second process on one database).</summary>
    public string? Setting(string key) => Services.GetRequiredService<IConfiguration>()[key];

    public JobberHydrator Hydrator => (JobberHydrator)Services.GetRequiredKeyedService<IRecordHydrator>(JobberWebhookSourceKind.Kind);

    public static async Task<JobberTestHost> StartAsync(string apiVersion = "2025-04-16", IDictionary<string, string?>? extra = null)
    {
        var server = WireMockServer.Start();
        var directory = Path.Combine(Path.GetTempPath(), "fieldops-jobber-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var settings = new Dictionary<string, string?>
        {
            ["Store:ConnectionString"] = $"Data Source={Path.Combine(directory, "fieldops.db")}",
            ["Credentials:KeysDirectory"] = Path.Combine(directory, "keys"),
            ["Sources:jobber:Kind"] = "jobber",
            ["Sources:jobber:Secret"] = "jobber-client-secret",
            ["Sources:jobber:ClientId"] = "jobber-client-id",
            ["Sources:jobber:RefreshToken"] = "refresh-1",
            ["Sources:jobber:ApiBaseUrl"] = server.Url + "/",
            ["Sources:jobber:ApiVersion"] = apiVersion,
        };
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
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
        var provider = services.BuildServiceProvider();
        await provider.GetRequiredService<MigrationRunner>().MigrateAsync(CancellationToken.None);
        return new JobberTestHost(provider, server, directory, warnings);
    }

    public async ValueTask DisposeAsync()
    {
        await Services.DisposeAsync();
        Server.Stop();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A file may still be held for a moment; the temp folder is cleaned by the OS.
        }
    }
}
