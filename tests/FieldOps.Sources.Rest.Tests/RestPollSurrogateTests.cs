using System.Text.Json.Nodes;
using FieldOps.Integration.Core.Inbox;
using FieldOps.Integration.Core.Sources;
using Microsoft.Extensions.DependencyInjection;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace FieldOps.Sources.Rest.Tests;

/// <summary>
/// Half a UTF-16 surrogate pair in what a REST source's API sends: a vendor cut a note or a name through an emoji and
/// JavaScript's <c>JSON.stringify</c> wrote the half as <c>\ud83d</c>. Valid JSON, but System.Text.Json will not read
/// such a string: the page's parsing threw, the run failed, and each run asked for the same page — the source stalled
/// behind one record. The same bodies run on SQLite and PostgreSQL.
/// </summary>
public abstract class RestPollSurrogateTests
{
    /// <summary>True to run on PostgreSQL (<c>FIELDOPS_TEST_POSTGRES</c>), else SQLite.</summary>
    protected abstract bool Postgres { get; }

    private const string Half = "\\ud83d";

    private static readonly DateTimeOffset Day = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    // Each half reads as U+FFFD, as the router reads a payload: the records are stored, the sweep moves on, and the next
    // poll of the same page adds nothing (the keys are the same at every poll).
    protected async Task Run_RecordsHoldHalfAPair_AreStoredWithTheReplacementCharacterAndTheSourceMovesOnBody()
    {
        await using var host = await RestTestHost.StartAsync(postgres: Postgres);
        var notes = Job(1);
        notes["notes"] = "Gate code 4471 HALF";
        var id = Job(2);
        id["id"] = "J-HALF-2";
        var updated = Job(3);
        updated["updatedAt"] = "2026-01-04THALF";
        Page(host, null, [notes, id], "c2");
        Page(host, "c2", [updated, Job(4)], null);

        var first = await host.Runner.RunAsync("acme", CancellationToken.None);
        var second = await host.Runner.RunAsync("acme", CancellationToken.None);

        Assert.Equal((2, 4, true, (string?)null), (first.Pages, first.Appended, first.SweepCompleted, first.Error));
        Assert.Equal((0, 4, (string?)null), (second.Appended, second.Duplicates, second.Error));
        var keys = host.Column("SELECT dedup_key FROM inbox ORDER BY id");
        Assert.Equal([Key("J-1", 1), Key("J-\uFFFD-2", 2)], keys[..2]);
        // No readable version: keyed by the payload's hash, which is the same at every poll.
        Assert.StartsWith("Job:J-3:", keys[2], StringComparison.Ordinal);
        Assert.Equal(["J-1", "J-4", "J-\uFFFD-2"], host.Column("SELECT entity_id FROM entity_version").Order(StringComparer.Ordinal));
        var ids = host.Column("SELECT id FROM inbox ORDER BY id").Select(long.Parse).ToList();
        var inbox = host.Services.GetRequiredService<IInboxStore>();
        var stored = await inbox.GetAsync(ids[0], CancellationToken.None);
        Assert.Equal("Gate code 4471 \uFFFD", JsonNode.Parse(stored!.PayloadJson)!["notes"]!.GetValue<string>());
        var watermark = await host.Services.GetRequiredService<ISourceStore>().GetWatermarkAsync("acme", CancellationToken.None);
        Assert.Equal((Day.AddDays(4), false, (string?)null), (watermark!.Watermark, watermark.SweepOpen, watermark.LastError));
    }

    // A cursor is the source's own text, sent back for the next page: read with U+FFFD for the half it would name another
    // page. The page is refused naming the source, as for a NUL; nothing of it is stored.
    protected async Task Run_NextCursorHoldsHalfAPair_RefusesThePageNamingTheSourceBody()
    {
        await using var host = await RestTestHost.StartAsync(postgres: Postgres);
        Page(host, null, [Job(1), Job(2)], "cHALF2");

        var run = await host.Runner.RunAsync("acme", CancellationToken.None);

        Assert.Equal((0, 0, false), (run.Pages, run.Appended, run.SweepCompleted));
        Assert.StartsWith("Sources:acme: the next-page cursor its API returned holds a UTF-16 surrogate without its pair", run.Error, StringComparison.Ordinal);
        var watermark = await host.Services.GetRequiredService<ISourceStore>().GetWatermarkAsync("acme", CancellationToken.None);
        Assert.Equal(run.Error, watermark!.LastError);
        Assert.Empty(host.Column("SELECT id FROM inbox"));
    }

    private static string Key(string id, int day) => $"Job:{id}:{Day.AddDays(day).ToUnixTimeMilliseconds()}";

    private static JsonObject Job(int n) => new() { ["id"] = $"J-{n}", ["updatedAt"] = Day.AddDays(n).ToString("O", System.Globalization.CultureInfo.InvariantCulture) };

    private static void Page(RestTestHost host, string? cursor, JsonObject[] items, string? next)
    {
        var request = Request.Create().WithPath("/api/jobs").UsingGet();
        if (cursor is not null)
            request = request.WithParam("cursor", cursor);
        // Written as JSON.stringify writes half a pair: the escape, in text that is otherwise plain.
        var body = new JsonObject { ["items"] = new JsonArray([.. items]), ["next_cursor"] = next }.ToJsonString().Replace("HALF", Half, StringComparison.Ordinal);
        host.Server.Given(request).AtPriority(cursor is null ? 10 : 1)
            .RespondWith(Response.Create().WithHeader("Content-Type", "application/json").WithBody(body));
    }

    /// <summary>The test bodies on SQLite.</summary>
    public sealed class Sqlite : RestPollSurrogateTests
    {
        protected override bool Postgres => false;

        [Fact]
        public Task Run_RecordsHoldHalfAPair_AreStoredWithTheReplacementCharacterAndTheSourceMovesOn() => Run_RecordsHoldHalfAPair_AreStoredWithTheReplacementCharacterAndTheSourceMovesOnBody();

        [Fact]
        public Task Run_NextCursorHoldsHalfAPair_RefusesThePageNamingTheSource() => Run_NextCursorHoldsHalfAPair_RefusesThePageNamingTheSourceBody();

        // JSON between systems is UTF-8 (RFC 8259): a page whose Content-Type names another charset is read as UTF-8
        // still, as before the answer was read as text — not garbled ("CafÃ©"), and an unknown charset fails no poll.
        [Theory]
        [InlineData("application/json; charset=iso-8859-1")]
        [InlineData("application/json; charset=no-such-charset")]
        public async Task Run_PageDeclaresAnotherCharset_IsReadAsUtf8(string contentType)
        {
            await using var host = await RestTestHost.StartAsync(postgres: false);
            var job = Job(1);
            job["notes"] = "Café";
            host.Server.Given(Request.Create().WithPath("/api/jobs").UsingGet()).RespondWith(Response.Create()
                .WithHeader("Content-Type", contentType)
                .WithBody(System.Text.Encoding.UTF8.GetBytes(new JsonObject { ["items"] = new JsonArray(job), ["next_cursor"] = null }.ToJsonString())));

            var run = await host.Runner.RunAsync("acme", CancellationToken.None);

            Assert.Equal((1, (string?)null), (run.Appended, run.Error));
            var id = long.Parse(host.Column("SELECT id FROM inbox").Single(), System.Globalization.CultureInfo.InvariantCulture);
            var stored = await host.Services.GetRequiredService<IInboxStore>().GetAsync(id, CancellationToken.None);
            Assert.Equal("Café", JsonNode.Parse(stored!.PayloadJson)!["notes"]!.GetValue<string>());
        }
    }

    /// <summary>The test bodies on PostgreSQL.</summary>
    public sealed class Pg : RestPollSurrogateTests
    {
        protected override bool Postgres => true;

        [PostgresFact]
        public Task Run_RecordsHoldHalfAPair_AreStoredWithTheReplacementCharacterAndTheSourceMovesOn() => Run_RecordsHoldHalfAPair_AreStoredWithTheReplacementCharacterAndTheSourceMovesOnBody();

        [PostgresFact]
        public Task Run_NextCursorHoldsHalfAPair_RefusesThePageNamingTheSource() => Run_NextCursorHoldsHalfAPair_RefusesThePageNamingTheSourceBody();
    }
}
