using FieldOps.Integration.Core.Storage;

namespace FieldOps.Integration.Storage;

/// <summary>Where the inbox, outbox and the rest live (<c>Store</c> section).</summary>
public sealed class StoreOptions
{
    public const string SectionName = "Store";

    /// <summary>The database. <value>The default value is <see cref="StoreProvider.Sqlite"/>.</value></summary>
    public StoreProvider Provider { get; set; } = StoreProvider.Sqlite;

    /// <summary>
    /// The ADO.NET connection string. <value>The default value is <c>Data Source=data/fieldops.db</c> for SQLite;
    /// PostgreSQL and SQL Server need one.</value>
    /// </summary>
    public string? ConnectionString { get; set; }

    /// <summary>
    /// SQLite's <c>synchronous</c> setting. <value>The default value is <c>Full</c>: every acknowledged webhook
    /// survives a power cut; group commit keeps it fast.</value>
    /// </summary>
    public SqliteSynchronous SqliteSynchronous { get; set; } = SqliteSynchronous.Full;

    /// <summary>
    /// How long a statement waits for another writer's lock before it fails. <value>The default value is 30 seconds.</value>
    /// </summary>
    public TimeSpan BusyTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// SQLite: how often a background connection checkpoints the WAL (passive: it waits for no one), so the committing
    /// writers seldom run SQLite's automatic checkpoint inside their commits; zero turns it off.
    /// <value>The default value is 250 milliseconds.</value>
    /// </summary>
    public TimeSpan WalCheckpointInterval { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>The most inbox events one group commit writes. <value>The default value is 256.</value></summary>
    public int MaxGroupCommit { get; set; } = 256;

    /// <summary>The connection string in effect, with the provider's default filled in.</summary>
    public string EffectiveConnectionString =>
        ConnectionString ?? (Provider == StoreProvider.Sqlite ? "Data Source=data/fieldops.db" : "");
}
