using System.Data.Common;
using System.Runtime.CompilerServices;
using FieldOps.Integration.Core.Storage;
using FieldOps.Integration.Storage.Dialects;
using Microsoft.Data.Sqlite;

namespace FieldOps.Integration.Storage;

/// <summary>Opens SQLite connections with WAL, the configured durability and a busy timeout.</summary>
public sealed class SqliteConnectionFactory : IStoreConnections
{
    // The pooled SQLite handles whose lasting pragmas are set (issue 15: five pragmas on every open of a pooled connection,
    // hundreds of opens a second under load). Keyed by the native handle, which the pool hands out again.
    private static readonly ConditionalWeakTable<object, object> Configured = new();
    private static readonly object Done = new();

    private readonly StoreOptions _options;
    private readonly string _connectionString;
    private readonly string _pragmas;
    private readonly string _synchronousPragma;
    private readonly string? _directory;
    private volatile bool _directoryExists;
    private readonly WriteTurns _writeTurns;

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
        // One file, one lock: this factory and its ForRepeatableWrites twin (and any other factory of the file) share the turns.
        _writeTurns = WriteTurns.For(builder.Mode == SqliteOpenMode.Memory || builder.DataSource == ":memory:"
            ? _connectionString
            : Path.GetFullPath(builder.DataSource));
        var synchronous = options.SqliteSynchronous == SqliteSynchronous.Full ? "FULL" : "NORMAL";
        // WAL is persistent in the file; the others are per connection. The journal size limit keeps the WAL
        // file from staying large after a burst.
        _pragmas = $"PRAGMA journal_mode=WAL; PRAGMA synchronous={synchronous}; PRAGMA busy_timeout={(long)options.BusyTimeout.TotalMilliseconds}; " +
                   "PRAGMA foreign_keys=ON; PRAGMA journal_size_limit=67108864;";
        // Set on every open, also of a handle configured before: this factory and its ForRepeatableWrites twin share one
        // pool (the same connection string) with different durability.
        _synchronousPragma = $"PRAGMA synchronous={synchronous};";
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

    /// <summary>The turns of this file's writers in this process (their totals are exported as metrics).</summary>
    public WriteTurns WriteTurns => _writeTurns;

    public ValueTask<WriteTurn> TakeWriteTurnAsync(WritePriority priority, CancellationToken cancellationToken) =>
        _writeTurns.TakeAsync(priority, _options.BusyTimeout, cancellationToken);

    /// <summary>The path of the database file.</summary>
    public string DataSource => new SqliteConnectionStringBuilder(_connectionString).DataSource;

    /// <summary>
    /// Closes the idle pooled connections of this factory's file, and no other file's (<c>ClearAllPools</c> closes every
    /// file's; the last connection of a file to close checkpoints and deletes its WAL). For whoever deletes the file.
    /// </summary>
    public void ClearPool()
    {
        using var connection = new SqliteConnection(_connectionString);
        SqliteConnection.ClearPool(connection);
    }

    public async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        // Created here, not at construction: a folder that cannot be created now (a read-only mount) is a store that is
        // down — the service starts not ready and this is retried — not a crash at start-up.
        // Checked until it exists once (a stat per open was ~1 % of the service's CPU under load).
        if (!_directoryExists && !string.IsNullOrEmpty(_directory))
        {
            if (!Directory.Exists(_directory))
                Directory.CreateDirectory(_directory);
            _directoryExists = true;
        }
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            var handle = connection.Handle;
            await using var command = connection.CreateCommand();
            command.CommandText = handle is not null && Configured.TryGetValue(handle, out _) ? _synchronousPragma : _pragmas;
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            if (handle is not null)
                Configured.AddOrUpdate(handle, Done);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }
}
