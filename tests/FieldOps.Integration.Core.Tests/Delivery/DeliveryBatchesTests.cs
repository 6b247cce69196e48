using System.Text.Json;
using FieldOps.Integration.Core.Delivery;
using FieldOps.Integration.Core.Tests.Support;

namespace FieldOps.Integration.Core.Tests.Delivery;

public sealed class DeliveryBatchesTests
{
    private static readonly WireMockBatchConnector Connector = new(null!) { MaxBatchSize = 2 };

    [Fact]
    public void Group_MoreRowsThanMaxBatchSize_SplitsIntoBatchesOfAtMostThatSize()
    {
        var calls = DeliveryBatches.Group(Connector, [Row("a"), Row("b"), Row("c")], batchDelivery: true);

        Assert.Equal([["a", "b"], ["c"]], Keys(calls));
    }

    [Fact]
    public void Group_RowsThatCannotShareACall_GoInSeparateBatches()
    {
        var calls = DeliveryBatches.Group(Connector,
            [Row("a"), Row("b", objectType: "Other"), Row("c"), Row("d", connection: "second")], batchDelivery: true);

        Assert.Equal([["a", "c"], ["b"], ["d"]], Keys(calls));
    }

    [Fact]
    public void Group_InFlightAndNonIdempotentRows_GoAlone()
    {
        var calls = DeliveryBatches.Group(Connector,
            [Row("a", state: OutboxStates.InFlight), Row("b"), Row("n", operation: OperationNames.Note), Row("c")], batchDelivery: true);

        Assert.Equal([["a"], ["b", "c"], ["n"]], Keys(calls));
    }

    [Fact]
    public void Group_BatchDeliveryOff_EveryRowAlone()
    {
        var calls = DeliveryBatches.Group(Connector, [Row("a"), Row("b")], batchDelivery: false);

        Assert.Equal([["a"], ["b"]], Keys(calls));
    }

    private static string[][] Keys(IReadOnlyList<IReadOnlyList<ClaimedOperation>> calls) =>
        calls.Select(c => c.Select(r => r.Operation.IdempotencyKey).ToArray()).ToArray();

    private static ClaimedOperation Row(
        string key, string objectType = "Thing", string operation = OperationNames.Upsert, string connection = "default", string state = OutboxStates.Pending) => new()
    {
        Operation = new OutboundOperation
        {
            Id = "id-" + key,
            Connector = WireMockBatchConnector.ConnectorName,
            Connection = connection,
            Operation = operation,
            ObjectType = objectType,
            IdempotencyKey = key,
            PartitionKey = "p-" + key,
            Payload = JsonSerializer.SerializeToElement(new { }),
        },
        Seq = 1,
        State = state,
        Attempts = 0,
        CreatedAt = DateTimeOffset.UnixEpoch,
    };
}
