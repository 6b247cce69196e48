using System.Text.Json.Nodes;
using FieldOps.Integration.Core.Sources;
using Microsoft.Extensions.DependencyInjection;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace FieldOps.Sources.Jobber.Tests.Shared;

/// <summary>
/// Issue 23 item 2 for polls: Jobber's query budget is one per account, so a <c>THROTTLED</c> poll page seen by one
/// process pauses the source for every process on the database (and its hydration), and each poll run reads the pause
/// before each page. Two <see cref="JobberTestHost"/>s on one SQLite file stand for two processes, each with its own
/// Jobber stand-in so each one's calls are counted apart.
/// </summary>
public sealed class SharedPollPauseTests
{
    private static readonly Dictionary<string, string?> Poll = new()
    {
        ["Sources:jobber:Poll:Adapter"] = "jobber",
        ["Sources:jobber:Poll:Interval"] = "00:15:00",
        ["Sources:jobber:Poll:Entity"] = "Job",
        ["Sources:jobber:Poll:Topic"] = "JOB_CLOSED",
    };

    [Fact]
    public async Task Poll_ThrottledInOneProcess_AnotherProcessCallsNotUntilThePauseEnds()
    {
        await using var first = await JobberTestHost.StartAsync(extra: Poll);
        await using var second = await JobberTestHost.StartAsync(extra: new Dictionary<string, string?>(Poll)
        {
            ["Store:ConnectionString"] = first.Setting("Store:ConnectionString"),
            ["Credentials:KeysDirectory"] = first.Setting("Credentials:KeysDirectory"), // one deployment's keys
        });
        // (1900 - 400) / 500 = 3 s of refill.
        Token(first);
        first.Server.Given(Request.Create().WithPath("/graphql").UsingPost()).RespondWith(Json("""
            {"errors":[{"message":"Throttled","extensions":{"code":"THROTTLED"}}],
             "extensions":{"cost":{"requestedQueryCost":1900,"actualQueryCost":0,"throttleStatus":{"maximumAvailable":10000,"currentlyAvailable":400,"restoreRate":500}}}}
            """));
        Token(second);
        second.Server.Given(Request.Create().WithPath("/graphql").UsingPost()).RespondWith(Json(Page("J1")));

        var throttledAt = DateTimeOffset.UtcNow;
        var throttled = await first.Services.GetRequiredService<PollRunner>().RunAsync("jobber", CancellationToken.None);
        var paused = await second.Services.GetRequiredService<PollRunner>().RunAsync("jobber", CancellationToken.None);

        Assert.Contains("throttled", throttled.Error, StringComparison.OrdinalIgnoreCase);
        var until = await second.Services.GetRequiredService<ISourcePauses>().GetSourcePauseAsync("jobber", CancellationToken.None);
        Assert.NotNull(until);
        Assert.InRange(until.Value, throttledAt.AddSeconds(2.5), DateTimeOffset.UtcNow.AddSeconds(3.5));
        Assert.Equal(until, paused.PausedUntil);
        Assert.Null(paused.Error);
        Assert.Equal(0, GraphQLCalls(second));
        // What an admin sees (fieldops sources, /ops, /admin/sources), read by the other process.
        var status = SourceStatus.Build(new Dictionary<string, string> { ["jobber"] = "jobber" }, new SourceAdaptersOptions(),
            await second.Services.GetRequiredService<ISourceStore>().ListWatermarksAsync(CancellationToken.None), DateTimeOffset.UtcNow).Single();
        Assert.Equal(until, status.PausedUntil);
        Assert.Contains("calls paused for every process until", status.LastErrors, StringComparison.Ordinal);

        while (DateTimeOffset.UtcNow <= until.Value)
            await Task.Delay(100);
        var resumed = await second.Services.GetRequiredService<PollRunner>().RunAsync("jobber", CancellationToken.None);

        Assert.Equal((1, 1, true, null), (resumed.Pages, resumed.Appended, resumed.SweepCompleted, resumed.PausedUntil));
        Assert.Equal(1, GraphQLCalls(second));
        Assert.True(GraphQLCalls(first) == 1, "the throttled process called once");
    }

    private static int GraphQLCalls(JobberTestHost host) => host.Server.LogEntries.Count(e => e.RequestMessage.Path == "/graphql");

    private static void Token(JobberTestHost host) =>
        host.Server.Given(Request.Create().WithPath("/oauth/token").UsingPost())
            .RespondWith(Json("""{"access_token":"access-1","refresh_token":"refresh-2","expires_in":3600}"""));

    private static string Page(string id) => new JsonObject
    {
        ["data"] = new JsonObject
        {
            ["jobs"] = new JsonObject
            {
                ["nodes"] = new JsonArray(new JsonObject { ["id"] = id, ["jobNumber"] = 1, ["updatedAt"] = "2026-01-01T10:00:00Z" }),
                ["pageInfo"] = new JsonObject { ["endCursor"] = null, ["hasNextPage"] = false },
            },
        },
        ["extensions"] = JsonNode.Parse("""{"cost":{"requestedQueryCost":400,"actualQueryCost":30,"throttleStatus":{"maximumAvailable":10000,"currentlyAvailable":9970,"restoreRate":500}}}"""),
    }.ToJsonString();

    private static IResponseBuilder Json(string body) => Response.Create().WithHeader("Content-Type", "application/json").WithBody(body);
}
