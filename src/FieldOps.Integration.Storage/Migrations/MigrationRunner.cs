using Dapper;
using Microsoft.Extensions.Logging;

namespace FieldOps.Integration.Storage.Migrations;

/// <summary>
/// Brings the schema to the version this build expects, at start-up. Safe when several processes start at once:
/// the whole run holds the dialect's migration lock (SQLite <c>BEGIN IMMEDIATE</c>, PostgreSQL an advisory lock).
/// </summary>
public sealed class MigrationRunner(IStoreConnections connections, TimeProvider time, ILogger<MigrationRunner> logger)
{
    /// <summary>Applies every migration not applied yet; returns how many it applied.</summary>
    public async Task<int> MigrateAsync(CancellationToken cancellationToken)
    {
        var dialect = connections.Dialect;
        var migrations = dialect.Migrations;
        await using var connection = await connections.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await dialect.BeginMigrationAsync(connection, cancellationToken).ConfigureAwait(false);
        await connection.ExecuteAsync(dialect.CreateSchemaVersionTable, transaction: transaction).ConfigureAwait(false);
        var applied = (await connection.QueryAsync<int>("SELECT version FROM schema_version", transaction: transaction)
            .ConfigureAwait(false)).ToHashSet();
        var count = 0;
        foreach (var migration in migrations.Where(m => !applied.Contains(m.Version)))
        {
            logger.LogInformation("Applying migration {Version} {Name}", migration.Version, migration.Name);
            foreach (var batch in dialect.Batches(migration.Sql))
                await connection.ExecuteAsync(batch, transaction: transaction).ConfigureAwait(false);
            await connection.ExecuteAsync(
                "INSERT INTO schema_version (version, name, applied_at) VALUES (@Version, @Name, @At)",
                new { migration.Version, migration.Name, At = time.GetUtcNow().ToUnixTimeMilliseconds() },
                transaction).ConfigureAwait(false);
            count++;
        }
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return count;
    }
}
