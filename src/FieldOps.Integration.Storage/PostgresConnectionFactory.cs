using System.Data.Common;
using FieldOps.Integration.Core.Storage;
using FieldOps.Integration.Storage.Dialects;
using Npgsql;

namespace FieldOps.Integration.Storage;

/// <summary>Opens PostgreSQL connections from one shared data source (its own pool).</summary>
public sealed class PostgresConnectionFactory : IStoreConnections, IAsyncDisposable
{
    private readonly NpgsqlDataSource _dataSource;

    public PostgresConnectionFactory(StoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _dataSource = NpgsqlDataSource.Create(options.EffectiveConnectionString);
    }

    public StoreProvider Provider => StoreProvider.Postgres;

    public SqlDialect Dialect => PostgresDialect.Instance;

    /// <summary>Every PostgreSQL commit is durable; there is no cheaper kind to pick.</summary>
    public IStoreConnections ForRepeatableWrites() => this;

    /// <summary>Row locks, not one write lock: every writer goes at once.</summary>
    public ValueTask<WriteTurn> TakeWriteTurnAsync(WritePriority priority, CancellationToken cancellationToken) => ValueTask.FromResult(WriteTurn.None);

    public async Task<DbConnection> OpenAsync(CancellationToken cancellationToken) =>
        await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);

    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();
}
