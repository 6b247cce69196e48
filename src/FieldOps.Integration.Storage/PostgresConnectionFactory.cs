using System.Data.Common;
using FieldOps.Integration.Core.Storage;
using FieldOps.Integration.Storage.Dialects;
using Npgsql;

namespace FieldOps.Integration.Storage;

/// <summary>Opens PostgreSQL connections from one shared data source (its own pool).</summary>
public sealed class PostgresConnectionFactory : IStoreConnections, IAsyncDisposable
{
    /// <summary>The server setting of <see cref="ForRepeatableWrites"/>'s sessions.</summary>
    public const string RepeatableWritesOptions = "-c synchronous_commit=off";

    private readonly NpgsqlDataSource _dataSource;
    private readonly Lazy<PostgresConnectionFactory>? _repeatable;

    public PostgresConnectionFactory(StoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _dataSource = NpgsqlDataSource.Create(options.EffectiveConnectionString);
        _repeatable = new(() => new PostgresConnectionFactory(RepeatableConnectionString(options.EffectiveConnectionString)));
    }

    private PostgresConnectionFactory(string connectionString) => _dataSource = NpgsqlDataSource.Create(connectionString);

    public StoreProvider Provider => StoreProvider.Postgres;

    public SqlDialect Dialect => PostgresDialect.Instance;

    /// <summary>
    /// Sessions with <c>synchronous_commit=off</c> (their own pool): a commit returns before its WAL is flushed, so a
    /// crash of the server may lose the last of these writes (at most about three WAL writer delays), never corrupt
    /// anything. Only claims and write-backs use them, whose repetition is harmless: a lost claim or write-back means a
    /// row delivered again with its idempotency key, and a non-idempotent call's in-flight mark is committed durably on
    /// the other connections before the call — that flush also covers every earlier write of these sessions.
    /// </summary>
    public IStoreConnections ForRepeatableWrites() => _repeatable?.Value ?? this;

    public async Task<DbConnection> OpenAsync(CancellationToken cancellationToken) =>
        await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);

    public async ValueTask DisposeAsync()
    {
        if (_repeatable is { IsValueCreated: true })
            await _repeatable.Value.DisposeAsync().ConfigureAwait(false);
        await _dataSource.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>The connection string with <see cref="RepeatableWritesOptions"/> added to any <c>Options</c> the admin set.</summary>
    internal static string RepeatableConnectionString(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        builder.Options = string.IsNullOrWhiteSpace(builder.Options) ? RepeatableWritesOptions : builder.Options + " " + RepeatableWritesOptions;
        return builder.ToString();
    }
}
