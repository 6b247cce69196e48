using System.Data.Common;
using FieldOps.Integration.Core.Storage;
using Npgsql;

namespace FieldOps.Integration.Storage;

/// <summary>Opens PostgreSQL connections from one shared data source (its own pool).</summary>
public sealed class PostgresConnectionFactory : IDbConnectionFactory, IAsyncDisposable
{
    private readonly NpgsqlDataSource _dataSource;

    public PostgresConnectionFactory(StoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _dataSource = NpgsqlDataSource.Create(options.EffectiveConnectionString);
    }

    public StoreProvider Provider => StoreProvider.Postgres;

    public async Task<DbConnection> OpenAsync(CancellationToken cancellationToken) =>
        await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);

    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();
}
