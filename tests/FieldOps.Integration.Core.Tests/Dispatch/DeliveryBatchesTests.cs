using FieldOps.Integration.Core.Connectors;
using FieldOps.Integration.Core.Dispatch;
using FieldOps.Integration.Core.Outbox;
using FieldOps.Integration.Core.Tests.Support;

namespace FieldOps.Integration.Core.Tests.Dispatch;

public sealed class DeliveryBatchesTests
{
    private static readonly WireMockBatchConnector Connector = new(null!);

    [Fact]
    public void Group_RowsThatMayShare_OneCall_InClaimOrder()
    {
        var calls = DeliveryBatches.Group(Connector, [Row("a"), Row("b"), Row("c")], batchDelivery: true, maxBatchSize: 100);
        Assert.Equal([["a", "b", "c"]], Keys(calls));
    }

    [Fact]
    public void Group_Off_OrNotABatchConnector_EveryRowAlone()
    {
        Assert.Equal([["a"], ["b"]], Keys(DeliveryBatches.Group(Connector, [Row("a"), Row("b")], batchDelivery: false, maxBatchSize: 100)));
    }

    [Fact]
    public void Group_RowFoundInFlight_GoesAloneForItsEffectCheck()
    {
        var calls = DeliveryBatches.Group(Connector, [Row("a"), Row("b") with { State = OutboxStates.InFlight }, Row("c")], true, 100);
        Assert.Equal([["a", "c"], ["b"]], Keys(calls));
    }

    [Fact]
    public void Group_NeverTwoRowsOfOnePartitionKeyOrOneVendorKeyInACall()
    {
        var calls = DeliveryBatches.Group(Connector, [Row("a", "p1"), Row("b", "p1"), Row("A", "p2"), Row("c", "p3")], true, 100);
        Assert.Equal([["a", "c"], ["b", "A"]], Keys(calls));
    }

    [Fact]
    public void Group_SplitsAtTheSmallerOfTheOptionAndTheConnectorsCap_AndByVerbAndConnection()
    {
        var rows = Enumerable.Range(0, 12).Select(i => Row("k" + i)).ToList();
        Assert.Equal([10, 2], DeliveryBatches.Group(Connector, rows, true, 100).Select(c => c.Count));
        Assert.Equal([5, 5, 2], DeliveryBatches.Group(Connector, rows, true, 5).Select(c => c.Count));
        var mixed = DeliveryBatches.Group(Connector, [Row("a"), Row("b", op: OperationNames.Note), Row("c", connection: "other"), Row("d")], true, 100);
        Assert.Equal([["a", "d"], ["b"], ["c"]], Keys(mixed));
    }

    private static List<string[]> Keys(IReadOnlyList<IReadOnlyList<ClaimedOperation>> calls) =>
        calls.Select(c => c.Select(r => r.Operation.IdempotencyKey).ToArray()).ToList();

    private static ClaimedOperation Row(string key, string? partition = null, string op = OperationNames.Upsert, string connection = "default") => new()
    {
        Operation = new OutboundOperation
        {
            Id = "id-" + key,
            Connector = WireMockBatchConnector.ConnectorName,
            Connection = connection,
            Operation = op,
            ObjectType = "Thing",
            IdempotencyKey = key,
            PartitionKey = partition ?? "p-" + key,
            Payload = new OperationPayload([], []),
        },
        Seq = 1,
        State = OutboxStates.Pending,
        Attempts = 0,
        CreatedAt = DateTimeOffset.UnixEpoch,
    };
}
