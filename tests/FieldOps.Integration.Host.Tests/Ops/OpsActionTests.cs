using System.Net;
using Dapper;
using FieldOps.Integration.Host.Tests.Admin;
using FieldOps.Integration.Host.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace FieldOps.Integration.Host.Tests.Ops;

/// <summary>The page's actions through the real host: each confirmed on its own page, done by the shared services, audited.</summary>
public sealed class OpsActionTests : IDisposable
{
    private readonly FieldOpsFactory _factory = new(OpsClient.Settings);

    [Fact]
    public async Task ReplayOne_AfterConfirmation_RequeuesIt_AndTheAuditLogSaysWhoWhenWhat()
    {
        using var client = new OpsClient(_factory);
        (await client.LoginAsync()).Dispose();
        var (_, ids) = await DeadLetterSeed.AddAsync(_factory.DatabasePath);

        var confirm = await client.Http.GetStringAsync($"/ops/deadletters/{ids[0]}/replay");
        Assert.Contains("Replay this dead letter", confirm, StringComparison.Ordinal);
        Assert.Equal("dead", DeadLetterSeed.State(_factory.DatabasePath, ids[0]));
        using (var done = await client.PostAsync($"/ops/deadletters/{ids[0]}/replay", $"/ops/deadletters/{ids[0]}/replay"))
            Assert.Equal(HttpStatusCode.OK, done.StatusCode);
        Assert.Equal("pending", DeadLetterSeed.State(_factory.DatabasePath, ids[0]));
        using (var again = await client.PostAsync($"/ops/deadletters/{ids[0]}/replay", $"/ops/deadletters/{ids[0]}/replay"))
            Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);

        var audit = await client.Http.GetStringAsync("/ops/audit");
        Assert.Contains($"<td>Dana Admin (", audit, StringComparison.Ordinal);
        Assert.Contains($"<td>replay</td><td>{ids[0]}</td><td>replayed 1 dead letter</td>", audit, StringComparison.Ordinal);
        Assert.Contains("not a dead letter (any more): nothing replayed", audit, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Post_WithoutTheAntiforgeryToken_IsRefusedAndChangesNothing()
    {
        using var client = new OpsClient(_factory);
        (await client.LoginAsync()).Dispose();
        var (_, ids) = await DeadLetterSeed.AddAsync(_factory.DatabasePath);
        using var response = await client.Http.PostAsync($"/ops/deadletters/{ids[0]}/replay", OpsClient.Form());
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("dead", DeadLetterSeed.State(_factory.DatabasePath, ids[0]));
    }

    [Fact]
    public async Task ReplayGroup_ReplaysOnlyThatGroup()
    {
        using var client = new OpsClient(_factory);
        (await client.LoginAsync()).Dispose();
        var (_, a) = await DeadLetterSeed.AddAsync(_factory.DatabasePath, "Transient");
        var (_, b) = await DeadLetterSeed.AddAsync(_factory.DatabasePath, "Transient");
        var (_, other) = await DeadLetterSeed.AddAsync(_factory.DatabasePath, "Permanent");
        const string Group = "/ops/deadletters/replay?connector=offline&flow=customer-things&class=Transient";
        var confirm = await client.Http.GetStringAsync(Group);
        Assert.Contains("Replay 2 dead letters", confirm, StringComparison.Ordinal);
        using (var done = await client.PostAsync(Group, "/ops/deadletters/replay", ("connector", "offline"), ("flow", "customer-things"), ("class", "Transient")))
            Assert.Contains("replayed 2 dead letters", await done.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("pending", DeadLetterSeed.State(_factory.DatabasePath, a[0]));
        Assert.Equal("pending", DeadLetterSeed.State(_factory.DatabasePath, b[0]));
        Assert.Equal("dead", DeadLetterSeed.State(_factory.DatabasePath, other[0]));
        Assert.Contains("<td>replay-group</td><td>connector=offline flow=customer-things class=Transient</td>",
            await client.Http.GetStringAsync("/ops/audit"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Discard_NeedsAReason_AndKeepsIt()
    {
        using var client = new OpsClient(_factory);
        (await client.LoginAsync()).Dispose();
        var (_, ids) = await DeadLetterSeed.AddAsync(_factory.DatabasePath);
        var page = $"/ops/deadletters/{ids[0]}/discard";
        using (var none = await client.PostAsync(page, page, ("reason", " ")))
            Assert.Equal(HttpStatusCode.BadRequest, none.StatusCode);
        Assert.Equal("dead", DeadLetterSeed.State(_factory.DatabasePath, ids[0]));
        using (var done = await client.PostAsync(page, page, ("reason", "customer merged by hand")))
            Assert.Equal(HttpStatusCode.OK, done.StatusCode);
        Assert.Equal("discarded", DeadLetterSeed.State(_factory.DatabasePath, ids[0]));
        Assert.Equal("pending", DeadLetterSeed.State(_factory.DatabasePath, ids[1]));
        Assert.Contains("discarded: customer merged by hand", await client.Http.GetStringAsync("/ops/audit"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rewind_AfterConfirmation_MovesTheWatermark_AndIsAudited()
    {
        using var factory = new FieldOpsFactory(new Dictionary<string, string?>(OpsClient.Settings)
        {
            ["Sources:acme:ApiBaseUrl"] = "http://127.0.0.1:9/",
            ["Sources:acme:Poll:Adapter"] = "rest",
            ["Sources:acme:Poll:Interval"] = "01:00:00",
            ["Sources:acme:Poll:Path"] = "items",
        });
        using var client = new OpsClient(factory);
        (await client.LoginAsync()).Dispose();
        Assert.Contains("/ops/sources/acme/rewind", await client.Http.GetStringAsync("/ops"), StringComparison.Ordinal);
        using (var bad = await client.PostAsync("/ops/sources/acme/rewind", "/ops/sources/acme/rewind", ("to", "yesterday")))
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        using (var done = await client.PostAsync("/ops/sources/acme/rewind", "/ops/sources/acme/rewind", ("to", "2026-01-01T00:00:00Z")))
            Assert.Equal(HttpStatusCode.OK, done.StatusCode);
        await using var db = new SqliteConnection($"Data Source={factory.DatabasePath};Pooling=False");
        Assert.Equal(DateTimeOffset.Parse("2026-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture).ToUnixTimeMilliseconds(),
            await db.ExecuteScalarAsync<long>("SELECT watermark FROM source_watermark WHERE source = 'acme'"));
        Assert.Contains("to 2026-01-01 00:00:00Z", await client.Http.GetStringAsync("/ops/audit"), StringComparison.Ordinal);
        using var notPolled = await client.Http.GetAsync("/ops/sources/jobber/rewind");
        Assert.Equal(HttpStatusCode.NotFound, notPolled.StatusCode);
    }

    [Fact]
    public async Task Reroute_DryRunPage_SaysWhyNothingCanBeWritten_AndAPostWritesNothing()
    {
        using var client = new OpsClient(_factory);
        (await client.LoginAsync()).Dispose();
        var (eventId, ids) = await DeadLetterSeed.AddAsync(_factory.DatabasePath);
        var dryRun = await client.Http.GetStringAsync($"/ops/events/{eventId}/reroute");
        Assert.Contains("Result: <strong>Conflict</strong>: ", dryRun, StringComparison.Ordinal);
        Assert.DoesNotContain("<button type=\"submit\">Re-route", dryRun, StringComparison.Ordinal);
        using (var missing = await client.Http.GetAsync("/ops/events/999999/reroute"))
            Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        using (var post = await client.PostAsync($"/ops/events/{eventId}/reroute", $"/ops/events/{eventId}/reroute"))
            Assert.Equal(HttpStatusCode.Conflict, post.StatusCode);
        Assert.Equal("dead", DeadLetterSeed.State(_factory.DatabasePath, ids[0]));
        Assert.Contains($"<td>reroute</td><td>event {eventId}</td><td>nothing written: Conflict", await client.Http.GetStringAsync("/ops/audit"), StringComparison.Ordinal);
    }

    public void Dispose() => _factory.Dispose();
}
