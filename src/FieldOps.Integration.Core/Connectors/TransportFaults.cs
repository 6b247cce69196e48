namespace FieldOps.Integration.Core.Connectors;

/// <summary>
/// Whether a failed call may have reached the target: the one rule the dispatcher uses to tell an ambiguous failure of a
/// non-idempotent operation (outcome unknown: check for the effect before sending again) from one that certainly did
/// nothing (retry as usual).
/// </summary>
internal static class TransportFaults
{
    /// <summary>
    /// False only when the request certainly never left this process: the name did not resolve, the connection or the
    /// TLS handshake failed, or a proxy refused the tunnel. A timeout, a reset or an early close after the request was
    /// written, a truncated or unreadable answer — and any fault we do not recognise — may have reached the target.
    /// </summary>
    public static bool MayHaveReachedTarget(Exception fault)
    {
        ArgumentNullException.ThrowIfNull(fault);
        for (var current = fault; current is not null; current = current.InnerException)
        {
            if (current is HttpRequestException http)
            {
                return http.HttpRequestError is not (HttpRequestError.NameResolutionError or HttpRequestError.ConnectionError
                    or HttpRequestError.SecureConnectionError or HttpRequestError.ProxyTunnelError);
            }
        }
        return true;
    }

    /// <summary>
    /// True when <paramref name="outcome"/> is a transient failure that may have taken effect: the connector or the
    /// transport said so, or the target answered 2xx without a readable result (a truncated answer), or a 5xx other
    /// than 503 (a 503 means the request was not accepted for processing).
    /// </summary>
    public static bool MayHaveBeenApplied(DeliveryOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        return outcome.Kind == OutcomeKind.Transient
            && (outcome.MayHaveBeenApplied || outcome.StatusCode is (>= 200 and < 300) or (>= 500 and not 503));
    }
}
