using FieldOps.Integration.Core.Credentials;
using FieldOps.Integration.Storage;
using FieldOps.Integration.Storage.Migrations;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace FieldOps.Integration.Testing.Credentials;

/// <summary>
/// The host's credentials store under a connector in a test: encrypted tokens in a migrated SQLite file and a key ring,
/// both in a folder of the test's own that <see cref="Dispose"/> removes.
/// </summary>
public sealed class StoredCredentials : IDisposable
{
    public StoredCredentials()
    {
        Directory = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "fieldops-tests", Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(Directory);
    }

    public string Directory { get; }

    /// <summary>The settings that put the store and the key ring in <see cref="Directory"/>.</summary>
    public IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Store:ConnectionString"] = $"Data Source={System.IO.Path.Combine(Directory, "fieldops.db")}",
        ["Credentials:KeysDirectory"] = System.IO.Path.Combine(Directory, "keys"),
    };

    /// <summary>Adds the store, the token store and the access-token provider, as the host does.</summary>
    public static void AddTo(IServiceCollection services) => services.AddFieldOpsStore().AddDispatchStores().AddFieldOpsCredentials();

    /// <summary>Creates the schema (the tokens' table) in the store of <paramref name="services"/>.</summary>
    public static void Migrate(IServiceProvider services) =>
        services.GetRequiredService<MigrationRunner>().MigrateAsync(CancellationToken.None).GetAwaiter().GetResult();

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        if (System.IO.Directory.Exists(Directory))
            System.IO.Directory.Delete(Directory, recursive: true);
    }
}
