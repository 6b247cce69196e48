using FieldOps.Integration.Core.Storage;
using FieldOps.Integration.Storage.Migrations;
using Microsoft.Extensions.Logging.Abstractions;

namespace FieldOps.Integration.Storage.Tests.Infrastructure;

/// <summary>A fresh, migrated database of one provider for one test class instance.</summary>
public abstract class TestDatabase : IAsyncDisposable
{
    public abstract StoreOptions Options { get; }

    public IDbConnectionFactory Connections { get; private set; } = null!;

    public async Task<TestDatabase> InitializeAsync()
    {
        await CreateAsync();
        Connections = Options.Provider == StoreProvider.Postgres
            ? new PostgresConnectionFactory(Options)
            : new SqliteConnectionFactory(Options);
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
