using FieldOps.Integration.Core.Outbox;

namespace FieldOps.Integration.Core.Tests.Outbox;

public sealed class OutboxRowKeyTests
{
    [Fact]
    public void Compute_TheSameOperationOfTheSameEvent_GivesTheSameKey()
    {
        Assert.Equal(OutboxRowKey.Compute(42, "job-completed-quickbooks", "invoice", "rev1"), OutboxRowKey.Compute(42, "job-completed-quickbooks", "invoice", "rev1"));
    }

    [Theory]
    [InlineData(43, "job-completed-quickbooks", "invoice", "rev1")]
    [InlineData(42, "job-completed-hubspot", "invoice", "rev1")]
    [InlineData(42, "job-completed-quickbooks", "customer", "rev1")]
    [InlineData(42, "job-completed-quickbooks", "invoice", "rev2")]
    public void Compute_AnyPartDifferent_GivesAnotherKey(long eventId, string flow, string operationKey, string revision)
    {
        Assert.NotEqual(OutboxRowKey.Compute(42, "job-completed-quickbooks", "invoice", "rev1"), OutboxRowKey.Compute(eventId, flow, operationKey, revision));
    }

    [Fact]
    public void Compute_KeysOfLaterEvents_SortAfterEarlierOnes()
    {
        // An index on the key takes a later row at its end (issue 15): keys of events in order are in ordinal order.
        long[] events = [1, 9, 10, 255, 256, 4_095, 4_096, 1_000_000, 99_999_999_999];
        var keys = events.Select(e => OutboxRowKey.Compute(e, "flow", "op", "rev1")).ToArray();
        Assert.Equal(keys.Order(StringComparer.Ordinal), keys);
        Assert.All(keys, k => Assert.Equal(OutboxRowKey.Length, k.Length));
        Assert.All(keys, k => Assert.Matches("^[0-9a-f]+$", k));
    }
}
