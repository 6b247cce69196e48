using System.Text.Json.Nodes;
using FieldOps.Integration.Core.Inbox;
using FieldOps.Integration.Core.Sources;
using FieldOps.Integration.Core.Storage;
using Microsoft.Extensions.DependencyInjection;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace FieldOps.Sources.Rest.Tests;

/// <summary>
/// The REST poll adapter and the poll runner against WireMock.Net, committing to a real store: the same bodies run
/// on SQLite and on PostgreSQL (<see cref="SqliteRestPollTests"/>, <see cref="PostgresRestPollTests"/>).
/// </summary>
public abstract class RestPollTests
{
    /// <summary>True to run on PostgreSQL (<c>FIELDOPS_TEST_POSTGRES</c>), else SQLite.</summary>
    protected abstract bool Postgres { get; }

    private static readonly DateTimeOffset Day = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    protected async Task Run_ThreeCursorPages_AppendsEachRecordOnceAndAdvancesTheWatermarkBody()
    {
        await using var host = await RestTestHost.StartAsync(postgres: Postgres);
        Page(host, null, [Job(1), Job(2)], "c2");
        Page(host, "c2", [Job(3), Job(4)], "c3");
        Page(host, "c3", [Job(5)], null);

        var first = await host.Runner.RunAsync("acme", CancellationToken.None);
        var second = await host.Runner.RunAsync("acme", CancellationToken.None);

        Assert.Equal((3, 5, true, (string?)null), (first.Pages, first.Appended, first.SweepCompleted, first.Error));
        Assert.Equal((0, 5), (second.Appended, second.Duplicates));
        Assert.Equal(["Job:J-1", "Job:J-2", "Job:J-3", "Job:J-4", "Job:J-5"], host.Column("SELECT dedup_key FROM inbox ORDER BY id").Select(k => k[..k.LastIndexOf(':')]));
        var watermark = await host.Services.GetRequiredService<ISourceStore>().GetWatermarkAsync("acme", CancellationToken.None);
        Assert.Equal(Day.AddDays(5), watermark!.Watermark);
        Assert.False(watermark.SweepOpen);
        // The run names the process that made it (what fieldops sources shows among several workers).
        Assert.Equal(host.Services.GetRequiredService<InstanceIdentity>().Id, watermark.LastRunBy);
        // The second sweep asked for changes since the first one's newest version, in the configured list order.
        var urls = host.Server.LogEntries.Select(e => e.RequestMessage.AbsoluteUrl).ToList();
        Assert.StartsWith(host.Server.Url + "/api/jobs?sort=-updated_at&per_page=2", urls[0], StringComparison.Ordinal);
        Assert.Contains("updated_since=2026-01-06T00%3A00%3A00.0000000Z", urls[3], StringComparison.Ordinal);
    }

    protected async Task Run_SecondPageFails_FirstPageStaysCommittedAndTheNextRunResumesThereBody()
    {
        await using var host = await RestTestHost.StartAsync(postgres: Postgres);
        Page(host, null, [Job(1), Job(2)], "c2");
        host.Server.Given(Request.Create().WithPath("/api/jobs").WithParam("cursor", "c2")).InScenario("outage").WillSetStateTo("back")
            .AtPriority(1).RespondWith(Response.Create().WithStatusCode(503));
        host.Server.Given(Request.Create().WithPath("/api/jobs").WithParam("cursor", "c2")).InScenario("outage").WhenStateIs("back")
            .AtPriority(1).RespondWith(Body([Job(3)], null));

        var failed = await host.Runner.RunAsync("acme", CancellationToken.None);
        var store = host.Services.GetRequiredService<ISourceStore>();
        var between = await store.GetWatermarkAsync("acme", CancellationToken.None);
        var resumed = await host.Runner.RunAsync("acme", CancellationToken.None);

        Assert.Equal((1, 2), (failed.Pages, failed.Appended));
        Assert.Contains("503", failed.Error, StringComparison.Ordinal);
        Assert.Equal((true, "c2", (DateTimeOffset?)null), (between!.SweepOpen, between.SweepCursor, between.Watermark));
        Assert.Contains("503", between.LastError, StringComparison.Ordinal);
        Assert.Equal((1, 1, true), (resumed.Pages, resumed.Appended, resumed.SweepCompleted));
        var after = await store.GetWatermarkAsync("acme", CancellationToken.None);
        Assert.Equal(Day.AddDays(3), after!.Watermark);
        Assert.Null(after.LastError);
        Assert.Equal(3, host.Column("SELECT id FROM inbox").Count);
    }

    protected async Task Run_PagePagination_FullPagesLeadToTheNextNumberBody()
    {
        await using var host = await RestTestHost.StartAsync(postgres: Postgres, poll: new Dictionary<string, string?>
        {
            ["Pagination"] = "Page",
            ["Items"] = "data.jobs",
            ["Id"] = "$string(job_id)",
            ["Version"] = "modified_on",
            ["SinceFormat"] = "unixms",
        });
        Serve(host, "page", "1", new JsonObject { ["data"] = new JsonObject { ["jobs"] = new JsonArray(Legacy(1), Legacy(2)) } });
        Serve(host, "page", "2", new JsonObject { ["data"] = new JsonObject { ["jobs"] = new JsonArray(Legacy(3)) } });

        var run = await host.Runner.RunAsync("acme", CancellationToken.None);

        Assert.Equal((2, 3, true), (run.Pages, run.Appended, run.SweepCompleted));
        Assert.Equal(["Job:101", "Job:102", "Job:103"], host.Column("SELECT dedup_key FROM inbox ORDER BY id").Select(k => k[..k.LastIndexOf(':')]));
    }

    protected async Task Append_OlderVersionAfterNewer_IsRecordedStaleAndSameChangeTwiceIsSkippedBody()
    {
        await using var host = await RestTestHost.StartAsync(postgres: Postgres);
        var inbox = host.Services.GetRequiredService<IPolledInboxAppender>();
        PolledRecord Record(DateTimeOffset version, string topic = "job.updated") =>
            new($"Job:J-9:{version.ToUnixTimeMilliseconds()}:{topic}", "Job", "J-9", version, topic, "{}");
        var commit = new PageCommit(null, "next", null, Day);

        var newer = await inbox.AppendPolledAsync("acme", [Record(Day.AddHours(2))], commit, CancellationToken.None);
        var older = await inbox.AppendPolledAsync("acme", [Record(Day.AddHours(1))], commit, CancellationToken.None);
        var again = await inbox.AppendPolledAsync("acme", [Record(Day.AddHours(2)) with { DedupKey = "other-key" }], commit, CancellationToken.None);

        Assert.Equal(new PolledAppendResult(1, 0, 0), newer);
        Assert.Equal(new PolledAppendResult(0, 1, 0), older);
        Assert.Equal(new PolledAppendResult(0, 0, 1), again);
        Assert.Equal(["new", "stale"], host.Column("SELECT state FROM inbox ORDER BY id"));
    }

    // A NUL in a record's id (JSON's \u0000, as the API sent it) went as it was into the dedup key and the version
    // ledger's entity id: on PostgreSQL the page's commit failed at every run (22021), and the source stalled there.
    protected async Task Run_RecordIdHoldsANul_TheKeyIsStoredEscapedTheSourceMovesOnAndTheSameChangeIsNotStoredTwiceBody()
    {
        await using var host = await RestTestHost.StartAsync(postgres: Postgres);
        var nul = Job(2);
        nul["id"] = "J-\0-2";
        Page(host, null, [Job(1), nul], "c2");
        Page(host, "c2", [Job(3)], null);

        var first = await host.Runner.RunAsync("acme", CancellationToken.None);
        var second = await host.Runner.RunAsync("acme", CancellationToken.None);

        Assert.Equal((2, 3, true, (string?)null), (first.Pages, first.Appended, first.SweepCompleted, first.Error));
        Assert.Equal((0, 3, (string?)null), (second.Appended, second.Duplicates, second.Error));
        Assert.Equal([Key("J-1", 1), Key("J-\\u0000-2", 2), Key("J-3", 3)], host.Column("SELECT dedup_key FROM inbox ORDER BY id"));
        Assert.Equal(["J-1", "J-3", "J-\\u0000-2"], host.Column("SELECT entity_id FROM entity_version").Order(StringComparer.Ordinal));
        // The payload keeps the NUL as JSON's escape, which the router finds and parks the event for, naming where.
        var id = long.Parse(host.Column("SELECT id FROM inbox ORDER BY id")[1], System.Globalization.CultureInfo.InvariantCulture);
        var stored = await host.Services.GetRequiredService<IInboxStore>().GetAsync(id, CancellationToken.None);
        Assert.Contains("\"id\":\"J-\\u0000-2\"", stored!.PayloadJson, StringComparison.Ordinal);
        var watermark = await host.Services.GetRequiredService<ISourceStore>().GetWatermarkAsync("acme", CancellationToken.None);
        Assert.Equal((Day.AddDays(3), false, (string?)null), (watermark!.Watermark, watermark.SweepOpen, watermark.LastError));
    }

    // A cursor is the source's own text, sent back for the next page: escaped it would name another page (or none, and
    // the sweep would close skipping the rest). The page is refused where the admin looks; nothing of it is stored.
    protected async Task Run_NextCursorHoldsANul_RefusesThePageNamingTheSourceAndTheCursorBody()
    {
        await using var host = await RestTestHost.StartAsync(postgres: Postgres);
        Page(host, null, [Job(1), Job(2)], "c\02");

        var run = await host.Runner.RunAsync("acme", CancellationToken.None);

        Assert.Equal((0, 0, false), (run.Pages, run.Appended, run.SweepCompleted));
        Assert.StartsWith("Sources:acme: the next-page cursor its API returned holds a NUL character (\\u0000)", run.Error, StringComparison.Ordinal);
        var watermark = await host.Services.GetRequiredService<ISourceStore>().GetWatermarkAsync("acme", CancellationToken.None);
        Assert.Equal(run.Error, watermark!.LastError);
        Assert.Empty(host.Column("SELECT id FROM inbox"));
    }

    // A poll's error may quote the source's text (a vendor's message, as Jobber's GraphQL errors; here an expression's
    // value): with a NUL in it, the write recording it failed on PostgreSQL (22021), and the admin saw that instead.
    protected async Task Run_ErrorQuotesANul_IsRecordedAsTheSourcesLastErrorBody()
    {
        await using var host = await RestTestHost.StartAsync(postgres: Postgres, poll: new Dictionary<string, string?> { ["Id"] = "$error('no id in ' & id)" });
        var nul = Job(1);
        nul["id"] = "J-\0-1";
        Page(host, null, [nul], null);

        var run = await host.Runner.RunAsync("acme", CancellationToken.None);

        Assert.Contains("no id in J-\\u0000-1", run.Error, StringComparison.Ordinal);
        var watermark = await host.Services.GetRequiredService<ISourceStore>().GetWatermarkAsync("acme", CancellationToken.None);
        Assert.Equal(run.Error, watermark!.LastError);
    }

    private static string Key(string id, int day) => $"Job:{id}:{Day.AddDays(day).ToUnixTimeMilliseconds()}";

    private static JsonObject Job(int n) => new() { ["id"] = $"J-{n}", ["updatedAt"] = Day.AddDays(n).ToString("O", System.Globalization.CultureInfo.InvariantCulture) };

    private static JsonObject Legacy(int n) => new() { ["job_id"] = 100 + n, ["modified_on"] = Day.AddDays(n).ToUnixTimeMilliseconds() };

    private static void Page(RestTestHost host, string? cursor, JsonObject[] items, string? next)
    {
        var request = Request.Create().WithPath("/api/jobs").UsingGet();
        if (cursor is not null)
            request = request.WithParam("cursor", cursor);
        host.Server.Given(request).AtPriority(cursor is null ? 10 : 1).RespondWith(Body(items, next));
    }

    private static void Serve(RestTestHost host, string parameter, string value, JsonObject body) =>
        host.Server.Given(Request.Create().WithPath("/api/jobs").WithParam(parameter, value)).RespondWith(
            Response.Create().WithHeader("Content-Type", "application/json").WithBody(body.ToJsonString()));

    private static IResponseBuilder Body(JsonObject[] items, string? next) =>
        Response.Create().WithHeader("Content-Type", "application/json")
            .WithBody(new JsonObject { ["items"] = new JsonArray([.. items]), ["next_cursor"] = next }.ToJsonString());
}
