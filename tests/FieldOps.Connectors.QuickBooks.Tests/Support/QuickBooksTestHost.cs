using FieldOps.Integration.Testing.Credentials;
using FieldOps.Integration.Core.Credentials;
using FieldOps.Integration.Core.CrossReferences;
using FieldOps.Integration.Storage;
using FieldOps.Integration.Storage.Migrations;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using WireMock.Server;
using FieldOps.Integration.Testing.Vendors;

namespace FieldOps.Connectors.QuickBooks.Tests.Support;

/// <summary>
/// The connector as the host registers it, pointed at a WireMock server (answering the company's setup by default), over a real SQLite store (for the
/// cross-references) in a temp file. Tokens come from <see cref="FixedAccessTokenProvider"/>, or — given a
/// <see cref="SharedStore"/> — from the real credentials store over that database, as a worker process has it.
/// </summary>
internal sealed class QuickBooksTestHost : IDisposable
{
    public const string Realm = FakeCompany.Realm;
    private readonly string _databasePath;
    private readonly bool _ownsDatabase;

    public QuickBooksTestHost(WireMockServer server, IDictionary<string, string?>? extra = null, SharedStore? shared = null)
    {
        ArgumentNullException.ThrowIfNull(server);
        var serverUrl = server.Url!;
        // Every invoice first reads the company's setup: a US company on Automated Sales Tax in USD unless a test says otherwise.
        new FakeCompany().Register(server, $"/v3/company/{Realm}", FakeCompany.DefaultPriority);
        _ownsDatabase = shared is null;
        _databasePath = shared?.DatabasePath ?? Path.Combine(Path.GetTempPath(), $"fieldops-qbo-{Guid.NewGuid():N}.db");
        var settings = new Dictionary<string, string?>
        {
            ["Store:ConnectionString"] = $"Data Source={_databasePath}",
            ["Connectors:QuickBooks:BaseUrl"] = serverUrl,
            ["Connectors:QuickBooks:RealmId"] = Realm,
            ["Connectors:QuickBooks:TokenUrl"] = serverUrl + "/oauth2/v1/tokens/bearer",
            ["Connectors:QuickBooks:ClientId"] = "ABcdEfGhIjKlMnOp",
            ["Connectors:QuickBooks:ClientSecret"] = "s3cr3t",
            ["Connectors:QuickBooks:Timeout"] = "00:00:30", // generous: a first call on a loaded CI machine can take seconds; timeout tests set their own
            ["Credentials:KeysDirectory"] = shared?.KeysDirectory,
        };
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
            settings[key] = value;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging();
        services.AddFieldOpsStore();
        if (shared is null)
        {
            services.AddSingleton<IAccessTokenProvider>(new FixedAccessTokenProvider());
        }
        else
        {
            services.AddDispatchStores();
            services.AddFieldOpsCredentials();
        }
        services.AddQuickBooksConnector(configuration);
        Services = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
        Services.GetRequiredService<MigrationRunner>().MigrateAsync(CancellationToken.None).GetAwaiter().GetResult();
    }

    public ServiceProvider Services { get; }

    public QuickBooksConnector Connector => Services.GetRequiredService<QuickBooksConnector>();

    public ICrossReferenceStore CrossReferences => Services.GetRequiredService<ICrossReferenceStore>();

    public void Dispose()
    {
        Services.Dispose();
        if (!_ownsDatabase)
            return;
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var file in new[] { _databasePath, _databasePath + "-wal", _databasePath + "-shm" })
            File.Delete(file);
    }
}
