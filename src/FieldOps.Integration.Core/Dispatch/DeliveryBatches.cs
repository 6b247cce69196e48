using FieldOps.Integration.Core.Connectors;
using FieldOps.Integration.Core.Outbox;

namespace FieldOps.Integration.Core.Dispatch;

/// <summary>
/// Splits the rows claimed in one cycle for one connector into calls: batches of up to <c>maxBatchSize</c> rows (and
/// the connector's <see cref="IBatchConnector.MaxBatchSize"/>) that the connector says may share a call, and single
/// rows for everything else. A row found in flight (its effect is checked first) or with an unreadable payload always
/// goes alone; a batch never holds two rows of one partition key (per-key order) or one vendor key (one record, one input).
/// </summary>
internal static class DeliveryBatches
{
    /// <summary>The calls for <paramref name="rows"/>, in claim order; every row is in exactly one of them.</summary>
    public static IReadOnlyList<IReadOnlyList<ClaimedOperation>> Group(IConnector connector, IReadOnlyList<ClaimedOperation> rows, bool batchDelivery, int maxBatchSize)
    {
        ArgumentNullException.ThrowIfNull(connector);
        ArgumentNullException.ThrowIfNull(rows);
        var batcher = batchDelivery && connector is IBatchConnector b ? b : null;
        var limit = batcher is null ? 1 : Math.Min(maxBatchSize, batcher.MaxBatchSize);
        var calls = new List<List<ClaimedOperation>>(rows.Count);
        var open = new List<List<ClaimedOperation>>();
        foreach (var row in rows)
        {
            if (limit <= 1 || row.State == OutboxStates.InFlight || row.Operation.Payload.Error is not null)
            {
                calls.Add([row]);
                continue;
            }
            var batch = open.Find(g => g.Count < limit && CanJoin(batcher!, g, row.Operation));
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

    // One call carries one connection's credentials, at most one row per partition key and per vendor key.
    private static bool CanJoin(IBatchConnector connector, List<ClaimedOperation> batch, OutboundOperation op) =>
        string.Equals(batch[0].Operation.Connection, op.Connection, StringComparison.Ordinal)
        && connector.CanBatch(batch[0].Operation, op)
        && !batch.Exists(r => string.Equals(r.Operation.PartitionKey, op.PartitionKey, StringComparison.Ordinal)
            || string.Equals(r.Operation.IdempotencyKey, op.IdempotencyKey, StringComparison.OrdinalIgnoreCase));
}
