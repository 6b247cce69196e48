using FieldOps.Integration.Core.Credentials;
using FieldOps.Integration.Core.Intake;
using FieldOps.Integration.Core.Sources;
using FieldOps.Integration.Storage;
using FieldOps.Integration.Storage.Migrations;
using FieldOps.Integration.Storage.Sources;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using WireMock.Server;

namespace FieldOps.Sources.Rest.Tests;

/// <summary>The REST poll adapter and the poll runner over a temporary SQLite store, polling a WireMock.Net server as source <c>acme</c>.</summary>
public sealed class RestTestHost : IAsyncDisposable
{
    private readonly string _directory;

    private RestTestHost(ServiceProvider services, WireMockServer server, string directory)
    {
        Services = services;
        Server = server;
        _directory = directory;
    }

    public ServiceProvider Services { get; }

    public WireMockServer Server { get; }

    public string DatabasePath => Path.Combine(_directory, "fieldops.db");

    public PollRunner Runner => Services.GetRequiredService<PollRunner>();

    public static async Task<RestTestHost> StartAsync(IDictionary<string, string?>? poll = null)
    {
        var server = WireMockServer.Start();
        var directory = Path.Combine(Path.GetTempPath(), "fieldops-rest-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var settings = new Dictionary<string, string?>
        {
            ["Store:ConnectionString"] = $"Data Source={Path.Combine(directory, "fieldops.db")}",
            ["Credentials:KeysDirectory"] = Path.Combine(directory, "keys"),
            ["Sources:acme:Kind"] = "canonical",
            ["Sources:acme:ApiBaseUrl"] = server.Url + "/api/",
            ["Sources:acme:Poll:Adapter"] = "rest",
            ["Sources:acme:Poll:Interval"] = "00:05:00",
            ["Sources:acme:Poll:Path"] = "jobs?sort=-updated_at",
            ["Sources:acme:Poll:PageSize"] = "2",
            ["Sources:acme:Poll:EntityType"] = "Job",
            ["Sources:acme:Poll:Topic"] = "job.updated",
        };
        foreach (var (key, value) in poll ?? new Dictionary<string, string?>())
            settings[$"Sources:acme:Poll:{key}"] = value;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(configuration)
            .AddLogging()
            .AddFieldOpsStore()
            .AddDispatchStores()
            .AddSourceStores()
            .AddFieldOpsCredentials()
            .AddSourcesCore()
            .AddRestSource();
        services.AddOptions<SourcesOptions>().BindConfiguration(SourcesOptions.SectionName);
        var provider = services.BuildServiceProvider();
        await provider.GetRequiredService<MigrationRunner>().MigrateAsync(CancellationToken.None);
        return new RestTestHost(provider, server, directory);
    }

    /// <summary>Runs a query against the store file and returns the first column of each row.</summary>
    public List<string> Column(string sql)
    {
        using var connection = new SqliteConnection($"Data Source={DatabasePath};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var values = new List<string>();
        while (reader.Read())
            values.Add(reader.IsDBNull(0) ? "" : Convert.ToString(reader.GetValue(0), System.Globalization.CultureInfo.InvariantCulture)!);
        return values;
    }

    public async ValueTask DisposeAsync()
    {
        await Services.DisposeAsync();
        Server.Stop();
        SqliteConnection.ClearAllPools();
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
