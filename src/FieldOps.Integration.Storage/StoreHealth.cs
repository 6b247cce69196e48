using Dapper;
using FieldOps.Integration.Core.Storage;

namespace FieldOps.Integration.Storage;

/// <summary>
/// Readiness of the store: reachable, migrated to the version this build ships, and able to commit a write now — one
/// row is rewritten per check, so a full disk or a read-only file makes the service not ready until it can write again.
/// </summary>
public sealed class StoreHealth(IStoreConnections connections, TimeProvider time) : IStoreHealth
{
    private readonly string _probe = connections.Dialect.Upsert("store_probe", ["id", "probed_at"], ["1", "@Now"], ["id"], ["probed_at"]);

    public async Task<string?> CheckAsync(CancellationToken cancellationToken)
    {
        var expected = connections.Dialect.Migrations.Max(m => m.Version);
        try
        {
            await using var connection = await connections.OpenAsync(cancellationToken).ConfigureAwait(false);
            var current = await connection.ExecuteScalarAsync<int?>("SELECT MAX(version) FROM schema_version").ConfigureAwait(false);
            if (current != expected)
                return $"schema version {current?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"}, expected {expected} (migrations are retried every 5 s)";
        }
        catch (Exception ex) when (LoopFaults.IsTransient(ex) || ex is InvalidOperationException)
        {
            return $"store unreachable: {ex.Message}";
        }
        try
        {
            await using var connection = await connections.OpenAsync(cancellationToken).ConfigureAwait(false);
            await connection.ExecuteAsync(new CommandDefinition(_probe, new { Now = time.GetUtcNow().ToUnixTimeMilliseconds() },
                cancellationToken: cancellationToken)).ConfigureAwait(false);
            return null;
        }
        catch (Exception ex) when (LoopFaults.IsTransient(ex) || ex is InvalidOperationException)
        {
            return $"store cannot write: {ex.Message}";
        }
    }
}
