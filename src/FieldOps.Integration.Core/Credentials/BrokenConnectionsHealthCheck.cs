using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace FieldOps.Integration.Core.Credentials;

/// <summary>
/// Readiness: Degraded, naming each connection that cannot get a token (its operations stay queued until an admin
/// reconnects it). Registered with the <c>ready</c> tag.
/// </summary>
internal sealed class BrokenConnectionsHealthCheck(ITokenStore store, ConnectionStatus status) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var broken = new Dictionary<string, string>(status.Broken, StringComparer.Ordinal);
        try
        {
            foreach (var (connection, reason) in await store.ListBrokenAsync(cancellationToken).ConfigureAwait(false))
                broken[connection] = reason;
        }
        catch (System.Data.Common.DbException)
        {
            // The store check reports an unreachable store; this one reports what it knows in memory.
        }
        if (broken.Count == 0)
            return HealthCheckResult.Healthy("no broken connections");
        var names = string.Join(", ", broken.Keys.Order(StringComparer.Ordinal));
        return HealthCheckResult.Degraded(
            $"connection(s) broken, operations queued until reconnected: {names}",
            data: broken.ToDictionary(p => p.Key, p => (object)p.Value, StringComparer.Ordinal));
    }
}
