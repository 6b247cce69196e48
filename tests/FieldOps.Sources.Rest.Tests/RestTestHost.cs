using FieldOps.Integration.Core.Credentials;
using FieldOps.Integration.Core.Intake;
using FieldOps.Integration.Core.Sources;
using FieldOps.Integration.Storage;
using FieldOps.Integration.Storage.Migrations;
using FieldOps.Integration.Storage.Sources;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using WireMock.Server;

namespace FieldOps.Sources.Rest.Tests;

/// <summary>The REST poll adapter and the poll runner over a temporary SQLite store, polling a WireMock.Net server as source <c>acme</c>.</summary>
public sealed class RestTestHost : IAsyncDisposable
{
    private readonly string _directory;

    /// <summary>The variable naming a PostgreSQL server (a connection string allowed to create databases); unset: Postgres tests are skipped.</summary>
    public const string PostgresVariable = "FIELDOPS_TEST_POSTGRES";

    private string? _postgresDatabase;

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

    public static async Task<RestTestHost> StartAsync(IDictionary<string, string?>? poll = null, bool postgres = false)
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
        string? database = null;
        if (postgres)
        {
            database = "fieldops_src_" + Guid.NewGuid().ToString("N")[..12];
            await AdminAsync($"CREATE DATABASE {database}");
            settings["Store:Provider"] = "Postgres";
            settings["Store:ConnectionString"] = new NpgsqlConnectionStringBuilder(Environment.GetEnvironmentVariable(PostgresVariable)) { Database = database }.ToString();
        }
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
        return new RestTestHost(provider, server, directory) { _postgresDatabase = database };
    }

    private static async Task AdminAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(Environment.GetEnvironmentVariable(PostgresVariable));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>A connection to the store, for arranging rows with Dapper.</summary>
    public Task<System.Data.Common.DbConnection> OpenAsync() =>
        Services.GetRequiredService<FieldOps.Integration.Core.Storage.IDbConnectionFactory>().OpenAsync(CancellationToken.None);

    /// <summary>Runs a query against the store and returns the first column of each row.</summary>
    public List<string> Column(string sql)
    {
        using System.Data.Common.DbConnection connection = _postgresDatabase is null
            ? new SqliteConnection($"Data Source={DatabasePath};Pooling=False")
            : new NpgsqlConnection(new NpgsqlConnectionStringBuilder(Environment.GetEnvironmentVariable(PostgresVariable)) { Database = _postgresDatabase }.ToString());
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
        if (_postgresDatabase is not null)
        {
            NpgsqlConnection.ClearAllPools();
            await AdminAsync($"DROP DATABASE IF EXISTS {_postgresDatabase} WITH (FORCE)");
        }
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
