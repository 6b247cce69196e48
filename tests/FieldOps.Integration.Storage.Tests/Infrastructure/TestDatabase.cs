using FieldOps.Integration.Storage.Migrations;
using Microsoft.Extensions.Logging.Abstractions;

namespace FieldOps.Integration.Storage.Tests.Infrastructure;

/// <summary>A fresh, migrated database of one provider for one test class instance.</summary>
public abstract class TestDatabase : IAsyncDisposable
{
    public abstract StoreOptions Options { get; }

    public IStoreConnections Connections { get; private set; } = null!;

    /// <summary>A new connection factory (its own pool) on this database, as another process would have.</summary>
    public abstract IStoreConnections OpenConnections();

    public async Task<TestDatabase> InitializeAsync()
    {
        await CreateAsync();
        Connections = OpenConnections();
        await new MigrationRunner(Connections, TimeProvider.System, NullLogger<MigrationRunner>.Instance).MigrateAsync(CancellationToken.None);
        return this;
    }

    protected abstract Task CreateAsync();

    public virtual async ValueTask DisposeAsync()
    {
        if (Connections is IAsyncDisposable disposable)
            await disposable.DisposeAsync();
        GC.SuppressFinalize(this);
    }
}
