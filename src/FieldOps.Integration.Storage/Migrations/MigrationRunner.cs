using System.Data.Common;
using Dapper;
using FieldOps.Integration.Core.Storage;
using Microsoft.Extensions.Logging;

namespace FieldOps.Integration.Storage.Migrations;

/// <summary>
/// Brings the schema to the version this build expects, at start-up. Safe when several processes start at once:
/// the whole run holds the database's write lock (SQLite <c>BEGIN IMMEDIATE</c>, PostgreSQL an advisory lock).
/// </summary>
public sealed class MigrationRunner(IDbConnectionFactory connections, TimeProvider time, ILogger<MigrationRunner> logger)
{
    private const long PostgresLockKey = 0x46_4F_50_53; // "FOPS"

    /// <summary>Applies every migration not applied yet; returns how many it applied.</summary>
    public async Task<int> MigrateAsync(CancellationToken cancellationToken)
    {
        var migrations = MigrationCatalog.For(connections.Provider);
        await using var connection = await connections.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await BeginLockedAsync(connection, cancellationToken).ConfigureAwait(false);
        await connection.ExecuteAsync(
            "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)",
            transaction: transaction).ConfigureAwait(false);
        var applied = (await connection.QueryAsync<int>("SELECT version FROM schema_version", transaction: transaction)
            .ConfigureAwait(false)).ToHashSet();
        var count = 0;
        foreach (var migration in migrations.Where(m => !applied.Contains(m.Version)))
        {
            logger.LogInformation("Applying migration {Version} {Name}", migration.Version, migration.Name);
            await connection.ExecuteAsync(migration.Sql, transaction: transaction).ConfigureAwait(false);
            await connection.ExecuteAsync(
                "INSERT INTO schema_version (version, name, applied_at) VALUES (@Version, @Name, @At)",
                new { migration.Version, migration.Name, At = time.GetUtcNow().ToUnixTimeMilliseconds() },
                transaction).ConfigureAwait(false);
            count++;
        }
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return count;
    }

    private async Task<DbTransaction> BeginLockedAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        if (connections.Provider == StoreProvider.Sqlite)
        {
            // Microsoft.Data.Sqlite begins non-deferred transactions with BEGIN IMMEDIATE: the write lock is ours from here.
            return await connection.BeginTransactionAsync(System.Data.IsolationLevel.Serializable, cancellationToken).ConfigureAwait(false);
        }
        var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await connection.ExecuteAsync("SELECT pg_advisory_xact_lock(@Key)", new { Key = PostgresLockKey }, transaction).ConfigureAwait(false);
        return transaction;
    }
}
