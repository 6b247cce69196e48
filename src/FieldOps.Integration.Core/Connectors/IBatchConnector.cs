namespace FieldOps.Integration.Core.Connectors;

/// <summary>
/// A connector whose vendor takes several operations in one call (HubSpot's batch upsert, BambooHR's bulk hours). The
/// dispatcher may send rows it claimed together through <see cref="DeliverBatchAsync"/>; each row's outcome is
/// written back exactly as if it had been sent alone.
/// </summary>
public interface IBatchConnector : IConnector
{
    /// <summary>The most operations the vendor takes in one call.</summary>
    int MaxBatchSize { get; }

    /// <summary>True when <paramref name="first"/> and <paramref name="other"/> may share one call (same verb and object type, typically).</summary>
    bool CanBatch(OutboundOperation first, OutboundOperation other);

    /// <summary>
    /// Carries out <paramref name="operations"/> in one vendor call; returns one outcome per operation, in the same
    /// order (a whole-call failure is that outcome for each). Like <see cref="IConnector.DeliverAsync"/>, it never retries.
    /// </summary>
    Task<IReadOnlyList<DeliveryOutcome>> DeliverBatchAsync(IReadOnlyList<OutboundOperation> operations, CancellationToken cancellationToken);
}
