using Dapper;
using FieldOps.Integration.Core.Storage;

namespace FieldOps.Integration.Storage;

/// <summary>Readiness of the store: reachable, and migrated to the version this build ships.</summary>
public sealed class StoreHealth(IStoreConnections connections) : IStoreHealth
{
    public async Task<string?> CheckAsync(CancellationToken cancellationToken)
    {
        var expected = connections.Dialect.Migrations.Max(m => m.Version);
        try
        {
            await using var connection = await connections.OpenAsync(cancellationToken).ConfigureAwait(false);
            var current = await connection.ExecuteScalarAsync<int?>("SELECT MAX(version) FROM schema_version").ConfigureAwait(false);
            return current == expected ? null : $"schema version {current?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"}, expected {expected}";
        }
        catch (Exception ex) when (ex is System.Data.Common.DbException or InvalidOperationException)
        {
            return $"store unreachable: {ex.Message}";
        }
    }
}
