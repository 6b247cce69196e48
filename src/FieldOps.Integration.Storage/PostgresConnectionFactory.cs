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
        _dataSource = NpgsqlDataSource.Create(WithoutResetOnClose(options.EffectiveConnectionString));
    }

    /// <summary>
    /// Issue 15: Npgsql resets a pooled connection when it is returned (<c>DISCARD ALL</c>, sent with the next command):
    /// 12 statements a job in a drain, a third of the <c>UPDATE</c>s' count, for state this service never leaves on a
    /// connection — its settings are <c>SET LOCAL</c> and its advisory locks <c>pg_advisory_xact_lock</c>, both ending with
    /// their transaction, and it holds no temporary tables, cursors or <c>LISTEN</c>s. So <c>No Reset On Close</c> is on
    /// unless the connection string says otherwise.
    /// </summary>
    public static string WithoutResetOnClose(string connectionString)
    {
        var given = new DbConnectionStringBuilder { ConnectionString = connectionString };
        foreach (string key in given.Keys)
        {
            if (string.Equals(key.Replace(" ", "", StringComparison.Ordinal), "NoResetOnClose", StringComparison.OrdinalIgnoreCase))
                return connectionString;
        }
        return new NpgsqlConnectionStringBuilder(connectionString) { NoResetOnClose = true }.ConnectionString;
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
