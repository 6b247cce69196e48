namespace FieldOps.Integration.Core.Connectors;

/// <summary>
/// A target system. Carries out one operation and classifies the response into a <see cref="DeliveryOutcome"/>.
/// It never retries by itself and lets unexpected exceptions escape: the dispatcher owns retries.
/// </summary>
public interface IConnector
{
    /// <summary>The connector name the flows use, lower case (e.g. <c>quickbooks</c>).</summary>
    string Name { get; }

    /// <summary>Carries out <paramref name="operation"/> once.</summary>
    Task<DeliveryOutcome> DeliverAsync(OutboundOperation operation, CancellationToken cancellationToken);

    /// <summary>
    /// True for operations that are not idempotent at the target (a comment, a note, an email send): the dispatcher
    /// marks them in flight before the call and never sends them blindly twice.
    /// </summary>
    bool IsNonIdempotent(OutboundOperation operation) => false;
}
