using FieldOps.Integration.Core.Connectors;
using FieldOps.Integration.Core.Credentials;
using FieldOps.Integration.Core.Outbox;

namespace FieldOps.Integration.Core.Dispatch;

/// <summary>The one token refresh after an auth-expired answer, for a single row and for a batch's rejected rows.</summary>
internal sealed partial class OperationDelivery
{
    private async Task<DeliveryOutcome?> RefreshAndRetryAsync(
        IConnector connector, ConnectorGate gate, OutboundOperation op, long inboxEventId, List<AttemptRecord> records, CancellationToken cancellationToken)
    {
        if (await RefreshTokenAsync(op, records[^1], cancellationToken).ConfigureAwait(false) is { } broken)
            return broken;
        return AfterRefresh(await CallAsync(connector, gate, op, inboxEventId, records, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>The outcome of the retry after a refresh: rejected again, the connection is broken (no second refresh).</summary>
    private static DeliveryOutcome? AfterRefresh(DeliveryOutcome? retried) =>
        retried?.Kind == OutcomeKind.AuthExpired
            ? DeliveryOutcome.ConnectionBroken($"the target rejected a freshly refreshed token: {retried.Message}")
            : retried;

    /// <summary>Refreshes <paramref name="op"/>'s connection's token once; a connection-broken outcome when that cannot help.</summary>
    private async Task<DeliveryOutcome?> RefreshTokenAsync(OutboundOperation op, AttemptRecord rejected, CancellationToken cancellationToken)
    {
        var connection = $"{op.Connector}:{op.Connection}";
        if (!tokens.Knows(connection))
            return DeliveryOutcome.ConnectionBroken($"the target rejected our credentials and {connection} has no token endpoint to refresh them");
        try
        {
            // The rejected token was issued before the rejection arrived: a token issued after that moment is a newer one.
            await tokens.RefreshAsync(connection, rejected.StartedAt + rejected.Duration, cancellationToken).ConfigureAwait(false);
            return null;
        }
        catch (ConnectionBrokenException ex)
        {
            return DeliveryOutcome.ConnectionBroken(ex.Reason);
        }
    }
}
