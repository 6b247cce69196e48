using FieldOps.Integration.Core.Credentials;
using FieldOps.Integration.Core.Intake;
using FieldOps.Integration.Core.Sources;
using FieldOps.Integration.Core.Storage;
using FieldOps.Integration.Storage;
using FieldOps.Integration.Storage.Migrations;
using FieldOps.Integration.Storage.Sources;
using FieldOps.Integration.Testing.Logging;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FieldOps.Integration.Testing.Sources;

/// <summary>
/// One polled source over a temporary, migrated store (SQLite by default; PostgreSQL when <c>storeSettings</c> name
/// it): the poll runner, the inbox it writes, and the source project's own registration. Settings are the source's
/// section (<c>Sources:{name}:…</c> without the prefix).
/// </summary>
public sealed class PollTestHost : IAsyncDisposable
{
    private readonly string _directory;
    private readonly ServiceProvider _services;
    private readonly string _source;

    private PollTestHost(string source, string directory, ServiceProvider services)
    {
        _source = source;
        _directory = directory;
        _services = services;
    }

    /// <summary>
    /// Starts the store and the poll runner for <paramref name="source"/>, registered by <paramref name="addSource"/>;
    /// <paramref name="logs"/> (when given) collects the Warning-and-up log lines, <paramref name="storeSettings"/> adds
    /// <c>Store:…</c> settings (without the prefix), e.g. a short busy timeout.
    /// </summary>
    public static async Task<PollTestHost> StartAsync(string source, IReadOnlyDictionary<string, string?> sourceSettings, Action<IServiceCollection> addSource,
        List<string>? logs = null, IReadOnlyDictionary<string, string?>? storeSettings = null)
    {
        var directory = Path.Combine(Path.GetTempPath(), "fieldops-poll-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var settings = new Dictionary<string, string?>
        {
            ["Store:ConnectionString"] = $"Data Source={Path.Combine(directory, "fieldops.db")}",
            ["Credentials:KeysDirectory"] = Path.Combine(directory, "keys"),
        };
        foreach (var (key, value) in sourceSettings)
            settings[$"Sources:{source}:{key}"] = value;
        foreach (var (key, value) in storeSettings ?? new Dictionary<string, string?>())
            settings[$"Store:{key}"] = value;
        var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build())
            .AddLogging(l =>
            {
                if (logs is not null)
                    l.AddProvider(new ListLoggerProvider(logs));
            })
            .AddFieldOpsStore()
            .AddDispatchStores()
            .AddSourceStores()
            .AddFieldOpsCredentials()
            .AddSourcesCore();
        addSource(services);
        services.AddOptions<SourcesOptions>().BindConfiguration(SourcesOptions.SectionName);
        var provider = services.BuildServiceProvider();
        await provider.GetRequiredService<MigrationRunner>().MigrateAsync(CancellationToken.None);
        return new PollTestHost(source, directory, provider);
    }

    /// <summary>One poll run of the source, as the Quartz job makes it.</summary>
    public Task<PollRunResult> PollAsync() => _services.GetRequiredService<PollRunner>().RunAsync(_source, CancellationToken.None);

    /// <summary>
    /// Holds the store's write lock (<c>BEGIN EXCLUSIVE</c> on a connection of its own) until disposed: every write the
    /// service tries meanwhile fails as SQLite's "database is locked" once its busy timeout runs out.
    /// </summary>
    public IDisposable LockStore()
    {
        var connection = new SqliteConnection($"Data Source={Path.Combine(_directory, "fieldops.db")};Pooling=False");
        connection.Open();
        using (var begin = connection.CreateCommand())
        {
            begin.CommandText = "BEGIN EXCLUSIVE";
            begin.ExecuteNonQuery();
        }
        return new StoreLock(connection);
    }

    private sealed class StoreLock(SqliteConnection connection) : IDisposable
    {
        public void Dispose()
        {
            using (var rollback = connection.CreateCommand())
            {
                rollback.CommandText = "ROLLBACK";
                rollback.ExecuteNonQuery();
            }
            connection.Dispose();
        }
    }

    /// <summary>The dedup keys of the inbox rows, oldest first, read through the store's own connection (SQLite or PostgreSQL).</summary>
    public List<string> InboxDedupKeys()
    {
        using var connection = _services.GetRequiredService<IDbConnectionFactory>().OpenAsync(CancellationToken.None).GetAwaiter().GetResult();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT dedup_key FROM inbox ORDER BY id";
        using var reader = command.ExecuteReader();
        var keys = new List<string>();
        while (reader.Read())
            keys.Add(reader.GetString(0));
        return keys;
    }

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // Left for the OS.
        }
    }
}
