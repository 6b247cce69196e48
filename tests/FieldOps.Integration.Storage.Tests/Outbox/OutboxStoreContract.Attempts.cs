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

    protected Task Update_ManyAtOnceWithAttemptsAndCrossReferences_WritesOnlyTheRowsWhoseLeaseIsOurs() => WriteManyAtOnceAsync(oneLeaseLost: true);

    protected Task Update_ManyAtOnceWithAttemptsAndCrossReferences_AllLeasesOurs_WritesEveryRow() => WriteManyAtOnceAsync(oneLeaseLost: false);

    private async Task WriteManyAtOnceAsync(bool oneLeaseLost)
    {
        var lost = oneLeaseLost ? 5 : -1;
        var rows = await AddRowsAsync(Enumerable.Range(0, 12).Select(i => new TestRow($"k{i}", new { i })).Append(new TestRow("k9", new { next = true }))
            .ToArray());
        Assert.Equal(12, (await _store.ClaimAsync("http", 20, [], "w1", Now, Lease, CancellationToken.None)).Count);
        var started = DateTimeOffset.FromUnixTimeMilliseconds(Now.ToUnixTimeMilliseconds());

        // Written together (usually one group; on PostgreSQL one batch, rolled back to its savepoint and written row by row
        // when a lease is not the writer's): row 5's lease may not be the writer's, row 9 is dead-lettered.
        var written = await Task.WhenAll(rows.Take(12).Select((r, i) => _store.UpdateAsync(new OutboxUpdate
        {
            Id = r.Id, State = i == 9 ? OutboxStates.Dead : OutboxStates.Delivered, Attempts = 1, FirstAttemptAt = started,
            LastOutcome = i == 9 ? OutcomeKind.Permanent : OutcomeKind.Delivered, DeadReason = i == 9 ? "Permanent: 400" : null,
            TargetId = i == 9 ? null : $"T{i}", CrossReference = i == 9 ? null : ("http", "Customer", $"src-{i}", $"T{i}"),
            AttemptRecords = [new AttemptRecord(1, started, TimeSpan.FromMilliseconds(5), i == 9 ? OutcomeKind.Permanent : OutcomeKind.Delivered, i == 9 ? 400 : 201, null, null)],
        }, i == lost ? "someone-else" : "w1", Now, CancellationToken.None)));

        Assert.Equal(Enumerable.Range(0, 12).Select(i => i != lost), written);
        if (oneLeaseLost)
        {
            Assert.Empty(await _store.GetAttemptsAsync(rows[5].Id, CancellationToken.None));
            Assert.Equal(0, await ScalarAsync<long>("SELECT COUNT(*) FROM xref WHERE source_id = 'src-5'"));
            Assert.Equal(OutboxStates.Pending, (await _store.GetStatusAsync(rows[5].Id, CancellationToken.None))!.State);
        }
        for (var i = 0; i < 12; i++)
        {
            if (i != lost)
                Assert.Equal("w1", Assert.Single(await _store.GetAttemptsAsync(rows[i].Id, CancellationToken.None)).Instance);
        }
        Assert.Equal(oneLeaseLost ? 10 : 11, await ScalarAsync<long>("SELECT COUNT(*) FROM xref WHERE source_id LIKE 'src-%'"));
        Assert.Equal("T11", await ScalarAsync<string>("SELECT target_id FROM xref WHERE source_id = 'src-11'"));
        Assert.Equal(OutboxStates.Dead, (await _store.GetStatusAsync(rows[9].Id, CancellationToken.None))!.State);
        Assert.Equal(OutboxStates.Blocked, (await _store.GetStatusAsync(rows[12].Id, CancellationToken.None))!.State);
    }
}
