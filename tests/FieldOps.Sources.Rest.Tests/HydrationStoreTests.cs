using Dapper;
using FieldOps.Integration.Core.Housekeeping;
using FieldOps.Integration.Core.Hydration;
using FieldOps.Integration.Core.Inbox;
using FieldOps.Integration.Core.Sources;
using Microsoft.Extensions.DependencyInjection;

namespace FieldOps.Sources.Rest.Tests;

/// <summary>The hydration and retention statements on each dialect: found, completed (new or stale), then pruned.</summary>
public abstract class HydrationStoreTests
{
    private static readonly string[] Keys = ["k1", "k2"];

    protected abstract bool Postgres { get; }

    protected async Task CompleteThenPrune_AwaitingEvents_NewerRoutedOlderStaleBothPrunedBody()
    {
        await using var host = await RestTestHost.StartAsync(postgres: Postgres);
        await using (var connection = await host.OpenAsync())
        {
            await connection.ExecuteAsync(
                "INSERT INTO inbox (source, dedup_key, received_at, headers, body, state, state_reason) VALUES (@source, @key, 1, '{}', @body, @state, 'not fetched yet')",
                Keys.Select(key => new { source = "acme", key, body = "{}"u8.ToArray(), state = InboxEventState.AwaitingHydration }));
        }
        var store = host.Services.GetRequiredService<ISourceStore>();
        var newer = new DateTimeOffset(2026, 1, 2, 0, 0, 0, TimeSpan.Zero);

        var awaiting = await store.ListAwaitingHydrationAsync(["ACME"], 0, 10, CancellationToken.None);
        var first = await store.CompleteHydrationAsync(new HydrationCommit("acme", "Job", "J-1", newer, [new HydratedEvent(awaiting[0].Id, "JOB_CLOSED", """{"record":{}}""")]), CancellationToken.None);
        var second = await store.CompleteHydrationAsync(new HydrationCommit("acme", "Job", "J-1", newer.AddHours(-1), [new HydratedEvent(awaiting[1].Id, "JOB_CLOSED", """{"record":{}}""")]), CancellationToken.None);
        await using (var connection = await host.OpenAsync())
            await connection.ExecuteAsync("UPDATE inbox SET state = 'routed', routed_at = 1 WHERE state = 'new'");
        var far = DateTimeOffset.UtcNow.AddDays(1);
        var pruned = await host.Services.GetRequiredService<IRetentionStore>().PruneAsync(new RetentionCutoffs(far, far, far, far), 100, CancellationToken.None);
        var compaction = await host.Services.GetRequiredService<IRetentionStore>().CompactAsync(0.25, 2560, CancellationToken.None);

        Assert.Equal(2, awaiting.Count);
        Assert.Equal("new", Assert.Single(first).State);
        Assert.Equal("stale", Assert.Single(second).State);
        Assert.Equal(2, pruned.InboxEvents);
        Assert.Empty(host.Column("SELECT id FROM inbox"));
        Assert.Equal(["1"], host.Column("SELECT COUNT(*) FROM entity_version")); // the newest version is kept
        Assert.False(string.IsNullOrEmpty(compaction));
    }
}

/// <summary>On SQLite.</summary>
public sealed class SqliteHydrationStoreTests : HydrationStoreTests
{
    protected override bool Postgres => false;

    [Fact]
    public Task CompleteThenPrune_AwaitingEvents_NewerRoutedOlderStaleBothPruned() => CompleteThenPrune_AwaitingEvents_NewerRoutedOlderStaleBothPrunedBody();
}

/// <summary>On PostgreSQL; skipped, naming the variable, when FIELDOPS_TEST_POSTGRES is not set.</summary>
public sealed class PostgresHydrationStoreTests : HydrationStoreTests
{
    protected override bool Postgres => true;

    [PostgresFact]
    public Task CompleteThenPrune_AwaitingEvents_NewerRoutedOlderStaleBothPruned() => CompleteThenPrune_AwaitingEvents_NewerRoutedOlderStaleBothPrunedBody();
}
