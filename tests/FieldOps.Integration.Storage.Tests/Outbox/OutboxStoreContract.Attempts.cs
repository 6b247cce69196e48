using FieldOps.Integration.Core.Connectors;
using FieldOps.Integration.Core.Outbox;
using FieldOps.Integration.Testing.Stores;

namespace FieldOps.Integration.Storage.Tests.Outbox;

/// <summary>A write-back's attempt records: written with the row's new state, and only while the lease is the writer's.</summary>
public abstract partial class OutboxStoreContract
{
    protected async Task Update_WithItsCallsAttempts_WritesThemOnlyWhileTheLeaseIsOurs()
    {
        var rows = await AddRowsAsync(new TestRow("a", new { }), new TestRow("b", new { }), new TestRow("c", new { }));
        await _store.ClaimAsync("http", 10, [], "w1", Now, Lease, CancellationToken.None);
        var started = DateTimeOffset.FromUnixTimeMilliseconds(Now.ToUnixTimeMilliseconds());
        var call = new AttemptRecord(1, started, TimeSpan.FromMilliseconds(42), OutcomeKind.Delivered, 201, "created", "{\"id\":\"58\"}");

        // One call, then a lease that is not ours, then two calls.
        Assert.True(await _store.UpdateAsync(new OutboxUpdate
        {
            Id = rows[0].Id, State = OutboxStates.Delivered, Attempts = 1, FirstAttemptAt = started, TargetId = "58", AttemptRecords = [call],
        }, "w1", Now, CancellationToken.None));
        Assert.False(await _store.UpdateAsync(new OutboxUpdate
        {
            Id = rows[1].Id, State = OutboxStates.Delivered, Attempts = 1, AttemptRecords = [call],
        }, "someone-else", Now, CancellationToken.None));
        Assert.True(await _store.UpdateAsync(new OutboxUpdate
        {
            Id = rows[2].Id, State = OutboxStates.Delivered, Attempts = 2,
            AttemptRecords = [call with { Outcome = OutcomeKind.Transient, StatusCode = 503 }, call with { Attempt = 2 }],
        }, "w1", Now, CancellationToken.None));

        var first = Assert.Single(await _store.GetAttemptsAsync(rows[0].Id, CancellationToken.None));
        Assert.Equal(call with { Instance = "w1" }, first);
        Assert.Equal(OutboxStates.Delivered, (await _store.GetStatusAsync(rows[0].Id, CancellationToken.None))!.State);
        Assert.Empty(await _store.GetAttemptsAsync(rows[1].Id, CancellationToken.None));
        Assert.Equal(OutboxStates.Pending, (await _store.GetStatusAsync(rows[1].Id, CancellationToken.None))!.State);
        Assert.Equal([503, 201], (await _store.GetAttemptsAsync(rows[2].Id, CancellationToken.None)).Select(a => a.StatusCode));
    }
}
