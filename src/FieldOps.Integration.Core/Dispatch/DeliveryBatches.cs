using FieldOps.Integration.Core.Connectors;
using FieldOps.Integration.Core.Outbox;

namespace FieldOps.Integration.Core.Dispatch;

/// <summary>
/// Splits the rows claimed in one cycle for one connector into calls: batches of up to
/// <see cref="IBatchConnector.MaxBatchSize"/> rows the connector says may share a call (same connection), and single
/// rows for everything else — non-idempotent rows and rows found in flight after a crash always go alone.
/// </summary>
internal static class DeliveryBatches
{
    /// <summary>The calls for <paramref name="rows"/>, in claim order; every row is in exactly one of them.</summary>
    public static IReadOnlyList<IReadOnlyList<ClaimedOperation>> Group(IConnector connector, IReadOnlyList<ClaimedOperation> rows, bool batchDelivery)
    {
        ArgumentNullException.ThrowIfNull(connector);
        ArgumentNullException.ThrowIfNull(rows);
        var calls = new List<List<ClaimedOperation>>();
        var open = new List<List<ClaimedOperation>>();
        var batcher = batchDelivery && connector is IBatchConnector { MaxBatchSize: > 1 } b ? b : null;
        foreach (var row in rows)
        {
            if (batcher is null || row.State == OutboxStates.InFlight || batcher.IsNonIdempotent(row.Operation))
            {
                calls.Add([row]);
                continue;
            }
            var batch = open.Find(g => g.Count < batcher.MaxBatchSize && CanShare(batcher, g[0].Operation, row.Operation));
            if (batch is null)
            {
                batch = [];
                open.Add(batch);
                calls.Add(batch);
            }
            batch.Add(row);
        }
        return calls;
    }

    // One call carries one connection's credentials.
    private static bool CanShare(IBatchConnector connector, OutboundOperation first, OutboundOperation other) =>
        string.Equals(first.Connection, other.Connection, StringComparison.Ordinal) && connector.CanBatch(first, other);
}
