using System.Data.Common;
using FieldOps.Integration.Core.Storage;
using FieldOps.Integration.Storage.Dialects;
using Microsoft.Data.Sqlite;

namespace FieldOps.Integration.Storage;

/// <summary>Opens SQLite connections with WAL, the configured durability and a busy timeout.</summary>
public sealed class SqliteConnectionFactory : IStoreConnections
{
    private readonly StoreOptions _options;
    private readonly string _connectionString;
    private readonly string _pragmas;
    private readonly string? _directory;

    public SqliteConnectionFactory(StoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        var builder = new SqliteConnectionStringBuilder(options.EffectiveConnectionString)
        {
            Pooling = true,
            DefaultTimeout = (int)Math.Ceiling(options.BusyTimeout.TotalSeconds),
        };
        _directory = builder.Mode == SqliteOpenMode.Memory ? null : Path.GetDirectoryName(Path.GetFullPath(builder.DataSource));
        _connectionString = builder.ToString();
        var synchronous = options.SqliteSynchronous == SqliteSynchronous.Full ? "FULL" : "NORMAL";
        // WAL is persistent in the file; the others are per connection. The journal size limit keeps the WAL
        // file from staying large after a burst.
        _pragmas = $"PRAGMA journal_mode=WAL; PRAGMA synchronous={synchronous}; PRAGMA busy_timeout={(long)options.BusyTimeout.TotalMilliseconds}; " +
                   "PRAGMA foreign_keys=ON; PRAGMA journal_size_limit=67108864;";
    }

    public StoreProvider Provider => StoreProvider.Sqlite;

    public SqlDialect Dialect => SqliteDialect.Instance;

    /// <summary>The same file with <c>synchronous=NORMAL</c>: a power cut may lose the last of these writes, a crash does not.</summary>
    public IStoreConnections ForRepeatableWrites() => _options.SqliteSynchronous == SqliteSynchronous.Normal
        ? this
        : new SqliteConnectionFactory(new StoreOptions
        {
            Provider = _options.Provider,
            ConnectionString = _options.ConnectionString,
            SqliteSynchronous = SqliteSynchronous.Normal,
            BusyTimeout = _options.BusyTimeout,
            MaxGroupCommit = _options.MaxGroupCommit,
        });

    /// <summary>The path of the database file.</summary>
    public string DataSource => new SqliteConnectionStringBuilder(_connectionString).DataSource;

    public async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        // Created here, not at construction: a folder that cannot be created now (a read-only mount) is a store that is
        // down — the service starts not ready and this is retried — not a crash at start-up.
        if (!string.IsNullOrEmpty(_directory) && !Directory.Exists(_directory))
            Directory.CreateDirectory(_directory);
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var command = connection.CreateCommand();
            command.CommandText = _pragmas;
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }
}
