
namespace FieldOps.Integration.Storage.Tests.Infrastructure;

/// <summary>A SQLite file in a temp folder of its own.</summary>
public sealed class SqliteTestDatabase : TestDatabase
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "fieldops-tests", Guid.NewGuid().ToString("N"));

    public override StoreOptions Options => new() { ConnectionString = $"Data Source={Path.Combine(_folder, "fieldops.db")}" };

    public override IStoreConnections OpenConnections() => new SqliteConnectionFactory(Options);

    protected override Task CreateAsync()
    {
        Directory.CreateDirectory(_folder);
        return Task.CompletedTask;
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        // This file's pool only: clearing every pool would close the connections of tests running beside this one.
        new SqliteConnectionFactory(Options).ClearPool();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
