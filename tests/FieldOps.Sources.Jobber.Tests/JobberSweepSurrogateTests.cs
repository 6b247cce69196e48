using FieldOps.Integration.Core.Inbox;
using FieldOps.Integration.Core.Sources;
using Microsoft.Extensions.DependencyInjection;
using WireMock.Matchers;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace FieldOps.Sources.Jobber.Tests;

/// <summary>
/// The Jobber sweep when a page holds half a UTF-16 surrogate pair, as <c>JSON.stringify</c> writes it (<c>\ud83d</c>):
/// before, reading the node's id or writing its payload threw, the run failed, and every run asked for the same page.
/// </summary>
public sealed class JobberSweepSurrogateTests
{
    // Each half reads as U+FFFD, as the router reads a payload: stored, the sweep completes, the next sweep adds nothing.
    [Fact]
    public async Task Run_NodesHoldHalfAPair_AreStoredWithTheReplacementCharacterAndTheSweepCompletes()
    {
        await using var host = await StartAsync();
        Serve(host, "null", """
            [{"id":"J\ud83d1","title":"Boiler \ud83d","updatedAt":"2026-01-01T10:00:00Z"},
             {"id":"J2","title":"Tap","updatedAt":"2026-01-02T10:00:00Z"}]
            """, "\"cursor-2\"", true);
        Serve(host, "\"cursor-2\"", """[{"id":"J3","title":"Sink \ude00","updatedAt":"2026-01-03T10:00:00Z"}]""", "null", false);
        var runner = host.Services.GetRequiredService<PollRunner>();

        var first = await runner.RunAsync("jobber", CancellationToken.None);
        var second = await runner.RunAsync("jobber", CancellationToken.None);

        Assert.Equal((2, 3, true, (string?)null), (first.Pages, first.Appended, first.SweepCompleted, first.Error));
        Assert.Equal((0, 3, (string?)null), (second.Appended, second.Duplicates, second.Error));
        var inbox = host.Services.GetRequiredService<IInboxStore>();
        var stored = await inbox.GetAsync(1, CancellationToken.None);
        Assert.Contains("Boiler \uFFFD", stored!.PayloadJson.Replace("\\uFFFD", "\uFFFD", StringComparison.Ordinal), StringComparison.Ordinal);
        var watermark = await host.Services.GetRequiredService<ISourceStore>().GetWatermarkAsync("jobber", CancellationToken.None);
        Assert.Equal(new DateTimeOffset(2026, 1, 3, 10, 0, 0, TimeSpan.Zero), watermark!.Watermark);
    }

    // A cursor read with U+FFFD for its half would name another page: the page is refused, naming the source.
    [Fact]
    public async Task Run_EndCursorHoldsHalfAPair_RefusesThePageNamingTheSource()
    {
        await using var host = await StartAsync();
        Serve(host, "null", """[{"id":"J1","title":"Boiler","updatedAt":"2026-01-01T10:00:00Z"}]""", "\"c\\ud83d2\"", true);
        var runner = host.Services.GetRequiredService<PollRunner>();

        var run = await runner.RunAsync("jobber", CancellationToken.None);

        Assert.Equal((0, 0, false), (run.Pages, run.Appended, run.SweepCompleted));
        Assert.StartsWith("Sources:jobber: the next-page cursor its API returned holds a UTF-16 surrogate without its pair", run.Error, StringComparison.Ordinal);
        var watermark = await host.Services.GetRequiredService<ISourceStore>().GetWatermarkAsync("jobber", CancellationToken.None);
        Assert.Equal(run.Error, watermark!.LastError);
    }

    private static async Task<JobberTestHost> StartAsync()
    {
        var host = await JobberTestHost.StartAsync(extra: new Dictionary<string, string?>
        {
            ["Sources:jobber:Poll:Adapter"] = "jobber",
            ["Sources:jobber:Poll:Interval"] = "00:15:00",
            ["Sources:jobber:Poll:Entity"] = "Job",
            ["Sources:jobber:Poll:Topic"] = "JOB_CLOSED",
        });
        host.Server.Given(Request.Create().WithPath("/oauth/token").UsingPost())
            .RespondWith(Json("""{"access_token":"access-1","refresh_token":"refresh-2","expires_in":3600}"""));
        return host;
    }

    private static void Serve(JobberTestHost host, string cursor, string nodes, string endCursor, bool more) =>
        host.Server.Given(Request.Create().WithPath("/graphql").UsingPost().WithBody(new WildcardMatcher($"*\"cursor\":{cursor}*")))
            .AtPriority(cursor == "null" ? 10 : 1)
            .RespondWith(Json("{\"data\":{\"jobs\":{\"nodes\":" + nodes + ",\"pageInfo\":{\"endCursor\":" + endCursor + ",\"hasNextPage\":" + (more ? "true" : "false") + "}}}}"));

    private static IResponseBuilder Json(string body) => Response.Create().WithHeader("Content-Type", "application/json").WithBody(body);
}
