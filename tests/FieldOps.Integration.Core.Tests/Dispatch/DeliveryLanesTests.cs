using FieldOps.Integration.Core.Connectors;
using FieldOps.Integration.Core.Dispatch;
using FieldOps.Integration.Core.Outbox;

namespace FieldOps.Integration.Core.Tests.Dispatch;

/// <summary>The dispatcher's lanes on their own: call slots, rows claimed ahead, and what a pause or shutdown does with them.</summary>
public sealed class DeliveryLanesTests
{
    [Fact]
    public void Add_MoreCallsThanSlots_StartsWhatFitsAndTheRestAsCallsAreAnswered()
    {
        var lanes = new DeliveryLanes(2);

        var started = lanes.Add("http", [Call("a"), Call("b"), Call("c")]);

        Assert.Equal(["a", "b"], Ids(started));
        Assert.Equal(1, lanes.Room("http")); // 4 rows may be held, 3 are
        Assert.Equal(["c"], Ids(lanes.Answered("http", 1)));
        Assert.Empty(lanes.Answered("http", 1));
        Assert.Equal(1, lanes.Calling("http"));
    }

    [Fact]
    public void WrittenBack_RowsNoLongerHeld_MakesRoomForTheNextClaim()
    {
        var lanes = new DeliveryLanes(2);
        lanes.Add("http", [Call("a"), Call("b"), Call("c"), Call("d")]);

        Assert.Equal(0, lanes.Room("http"));
        Assert.Equal(4, lanes.Room("other")); // each connector its own lane
        lanes.Answered("http", 1);
        Assert.Equal(0, lanes.Room("http")); // answered, not yet written back: still held
        lanes.WrittenBack("http", 1);
        Assert.Equal(1, lanes.Room("http"));
        Assert.True(lanes.AnyHeld);
    }

    [Fact]
    public void Add_ABatchLargerThanTheFreeSlots_WaitsForTheLaneToEmptyThenStartsAlone()
    {
        var lanes = new DeliveryLanes(3);
        Assert.Single(lanes.Add("http", [Call("a")]));

        Assert.Empty(lanes.Add("http", [Call("b", "c", "d")])); // 1 + 3 > 3 slots
        Assert.Equal(["b"], Ids(lanes.Answered("http", 1)));
        Assert.Equal(3, lanes.Calling("http"));
    }

    [Fact]
    public void Unstart_PausedConnector_GivesBackTheSlotsAndEveryWaitingCall()
    {
        var lanes = new DeliveryLanes(1);
        var started = lanes.Add("http", [Call("a"), Call("b")]);

        var back = lanes.Unstart("http", started, waitingToo: true);

        Assert.Equal(["a", "b"], Ids(back));
        Assert.Equal(0, lanes.Calling("http"));
        Assert.Empty(lanes.Answered("http", 0));
        lanes.WrittenBack("http", 2);
        Assert.False(lanes.AnyHeld);
    }

    [Fact]
    public void Close_AtShutdown_StartsNothingMoreAndClaimsNothingMore()
    {
        var lanes = new DeliveryLanes(1);
        lanes.Add("http", [Call("a"), Call("b")]);

        lanes.Close();

        Assert.True(lanes.Closed);
        Assert.Empty(lanes.Answered("http", 1));
        Assert.Equal(0, lanes.Room("http"));
        lanes.WrittenBack("http", 1);
        Assert.False(lanes.AnyHeld); // the waiting call left the lane; its lease goes with the dispatcher's others
    }

    [Fact]
    public void Unstart_OneCallOfABrokenConnection_LeavesTheWaitingCallsWaiting()
    {
        var lanes = new DeliveryLanes(1);
        var started = lanes.Add("http", [Call("a"), Call("b")]);

        Assert.Equal(["a"], Ids(lanes.Unstart("http", started, waitingToo: false)));
        Assert.Equal(["b"], Ids(lanes.Answered("http", 0)));
    }

    private static List<ClaimedOperation> Call(params string[] ids) => ids.Select(id => new ClaimedOperation
    {
        Operation = new OutboundOperation
        {
            Id = id,
            Connector = "http",
            Operation = OperationNames.Upsert,
            ObjectType = "Thing",
            IdempotencyKey = id,
            PartitionKey = "p-" + id,
            Payload = new OperationPayload([], []),
        },
        Seq = 1,
        State = OutboxStates.Pending,
        Attempts = 0,
        CreatedAt = DateTimeOffset.UnixEpoch,
    }).ToList();

    private static List<string> Ids(List<IReadOnlyList<ClaimedOperation>> calls) => calls.Select(c => c[0].Operation.Id).ToList();
}
