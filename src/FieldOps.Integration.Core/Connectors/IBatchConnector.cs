namespace FieldOps.Integration.Core.Connectors;

/// <summary>A connector that can also send several operations in one call (sObject Collections, HubSpot batch, QuickBooks batch).</summary>
public interface IBatchConnector : IConnector
{
    /// <summary>The most operations one batch call takes.</summary>
    int MaxBatchSize { get; }

    /// <summary>True when these operations may share one batch call (same object type and verb, typically).</summary>
    bool CanBatch(OutboundOperation first, OutboundOperation other);

    /// <summary>Sends the operations in one call; returns one outcome per operation, in the same order.</summary>
    Task<IReadOnlyList<DeliveryOutcome>> DeliverBatchAsync(IReadOnlyList<OutboundOperation> operations, CancellationToken cancellationToken);
}
