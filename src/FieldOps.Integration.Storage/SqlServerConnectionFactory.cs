using System.Data.Common;
using FieldOps.Integration.Core.Storage;
using FieldOps.Integration.Storage.Dialects;
using Microsoft.Data.SqlClient;

namespace FieldOps.Integration.Storage;

/// <summary>Opens SQL Server connections (SqlClient pools them by connection string).</summary>
public sealed class SqlServerConnectionFactory : IStoreConnections
{
    private readonly string _connectionString;

    public SqlServerConnectionFactory(StoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _connectionString = options.EffectiveConnectionString;
    }

    public StoreProvider Provider => StoreProvider.SqlServer;

    public SqlDialect Dialect => SqlServerDialect.Instance;

    /// <summary>Every SQL Server commit is durable; there is no cheaper kind to pick.</summary>
    public IStoreConnections ForRepeatableWrites() => this;

    /// <summary>Row locks, not one write lock: every writer goes at once.</summary>
    public ValueTask<WriteTurn> TakeWriteTurnAsync(WritePriority priority, CancellationToken cancellationToken) => ValueTask.FromResult(WriteTurn.None);

    public async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqlConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }
}
