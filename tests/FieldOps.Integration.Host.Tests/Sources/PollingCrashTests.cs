using System.Net;
using FieldOps.Integration.Host.Tests.Infrastructure;

namespace FieldOps.Integration.Host.Tests.Sources;

/// <summary>
/// Polling through the real <c>fieldops</c> process: a crash between pages loses and repeats nothing, because each
/// page's inbox rows and the cursor to the next page commit together; a rewind replays a period without duplicates.
/// </summary>
public sealed class PollingCrashTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private readonly TempDirectory _directory = new();
    private readonly FakeRestApi _api = new();

    [Fact]
    public async Task Poll_ProcessKilledAfterSecondPage_RestartReadsThirdPageOnceAndSetsWatermark()
    {
        _api.Page(null, [FakeRestApi.Item(1), FakeRestApi.Item(2), FakeRestApi.Item(3)], next: "c2");
        _api.Page("c2", [FakeRestApi.Item(4), FakeRestApi.Item(5), FakeRestApi.Item(6)], next: "c3", priority: 1);
        // The third page hangs the first time, so the process is killed with two pages committed.
        _api.Page("c3", [FakeRestApi.Item(7), FakeRestApi.Item(8), FakeRestApi.Item(9)], next: null, delay: TimeSpan.FromSeconds(30), priority: 1);
        var environment = _api.Environment(_directory.Path, interval: "00:00:01");
        var database = _directory.DatabasePath;

        await using (var first = FieldOpsProcess.Start(_directory.Path, environment))
        {
            await StoreProbe.WaitUntilAsync(() => StoreProbe.Watermark(database, "acme")?.Cursor == "c3", Timeout, () => first.StandardOutput + first.StandardError);
            await Task.Delay(300); // the third page's request is in flight
            first.Kill();
        }
        Assert.Equal(6, StoreProbe.Inbox(database).Count);
        var crashed = StoreProbe.Watermark(database, "acme")!;
        Assert.Equal((1, (long?)null), (crashed.SweepOpen, crashed.Watermark));

        _api.Page("c3", [FakeRestApi.Item(7), FakeRestApi.Item(8), FakeRestApi.Item(9)], next: null, priority: 0);
        var restartedAt = DateTime.Now;
        await using (var second = FieldOpsProcess.Start(_directory.Path, environment))
        {
            await StoreProbe.WaitUntilAsync(() => StoreProbe.Watermark(database, "acme") is { SweepOpen: 0, Watermark: not null }, Timeout, () => second.StandardOutput + second.StandardError);
            // One more sweep from the watermark: the API answers the first page again, all of it already stored.
            await StoreProbe.WaitUntilAsync(() => _api.CursorsSince(restartedAt).Count >= 2, Timeout, () => second.StandardOutput + second.StandardError);
            second.Kill();
        }

        Assert.Equal("c3", _api.CursorsSince(restartedAt)[0]);
        var inbox = StoreProbe.Inbox(database);
        Assert.Equal(Enumerable.Range(1, 9).Select(n => $"Customer:C-{n}:{new DateTimeOffset(2026, 1, n, 10, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds()}"),
            inbox.Select(e => e.DedupKey));
        var watermark = StoreProbe.Watermark(database, "acme")!;
        Assert.Equal(new DateTimeOffset(2026, 1, 9, 10, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds(), watermark.Watermark);
        Assert.Null(watermark.LastError);
    }

    [Fact]
    public async Task Rewind_ReplaysPeriod_AddsTheMissedChangeOnlyAndNoDuplicateEffects()
    {
        _api.Page(null, [FakeRestApi.Item(1), FakeRestApi.Item(2), FakeRestApi.Item(3)], next: null);
        var environment = _api.Environment(_directory.Path, interval: "01:00:00");
        var database = _directory.DatabasePath;
        await using var service = FieldOpsProcess.Start(_directory.Path, environment);
        await StoreProbe.WaitUntilAsync(
            () => StoreProbe.Watermark(database, "acme") is { Watermark: not null } && StoreProbe.Inbox(database).All(e => e.State == "routed"),
            Timeout, () => service.StandardOutput + service.StandardError);
        var outboxBefore = StoreProbe.Outbox(database);
        Assert.NotEmpty(outboxBefore);

        // Replaying January returns the same three changes plus one the first sweep never saw.
        _api.Page(null, [FakeRestApi.Item(1), FakeRestApi.Item(2), FakeRestApi.Item(4, "2026-01-02T12:00:00Z"), FakeRestApi.Item(3)], next: null,
            priority: 1, since: "2026-01-01T00:00:00.0000000Z");
        await using (var rewind = FieldOpsProcess.Start(_directory.Path, environment, "sources", "rewind", "acme", "--to", "2026-01-01T00:00:00Z"))
            Assert.Equal(0, await rewind.WaitForExitAsync(Timeout));
        Assert.Equal(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds(), StoreProbe.Watermark(database, "acme")!.Watermark);
        await service.WaitUntilReadyAsync(Timeout);
        using var client = new HttpClient { BaseAddress = service.BaseAddress };
        client.DefaultRequestHeaders.Add("X-Api-Key", "sources-admin-key");
        using (var poll = await client.PostAsync(new Uri("/admin/sources/acme/poll", UriKind.Relative), null))
            Assert.Equal(HttpStatusCode.Accepted, poll.StatusCode);

        await StoreProbe.WaitUntilAsync(
            () => StoreProbe.Inbox(database) is { Count: 4 } inbox && inbox.All(e => e.State == "routed")
                && StoreProbe.Watermark(database, "acme")!.Watermark == new DateTimeOffset(2026, 1, 3, 10, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds(),
            Timeout, () => service.StandardOutput + service.StandardError);
        var inbox = StoreProbe.Inbox(database);
        Assert.Single(inbox, e => e.DedupKey.StartsWith("Customer:C-4:", StringComparison.Ordinal));
        var outboxAfter = StoreProbe.Outbox(database);
        Assert.Equal(outboxBefore, outboxAfter.Where(o => outboxBefore.Any(b => b.InboxEventId == o.InboxEventId)));
        Assert.All(outboxAfter.Except(outboxBefore), o => Assert.Equal(inbox[3].Id, o.InboxEventId));

        using var list = await client.GetAsync(new Uri("/admin/sources", UriKind.Relative));
        Assert.Contains("\"source\":\"acme\"", await list.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await using var cli = FieldOpsProcess.Start(_directory.Path, environment, "sources");
        Assert.Equal(0, await cli.WaitForExitAsync(Timeout));
        Assert.Contains("2026-01-03T10:00:00Z", cli.StandardOutput, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        _api.Dispose();
        _directory.Dispose();
    }
}
