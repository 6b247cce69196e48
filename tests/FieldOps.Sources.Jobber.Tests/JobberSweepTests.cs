using System.Text.Json.Nodes;
using FieldOps.Integration.Core.Sources;
using Microsoft.Extensions.DependencyInjection;
using WireMock.Matchers;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace FieldOps.Sources.Jobber.Tests;

/// <summary>The Jobber catch-up sweep through the poll runner, against WireMock.Net and a real SQLite store.</summary>
public sealed class JobberSweepTests
{
    [Fact]
    public async Task Run_TwoCursorPagesOfJobs_StoresHydratedEventsOnceAndSweepsAgainFromTheWatermark()
    {
        await using var host = await JobberTestHost.StartAsync(extra: new Dictionary<string, string?>
        {
            ["Sources:jobber:Poll:Adapter"] = "jobber",
            ["Sources:jobber:Poll:Interval"] = "00:15:00",
            ["Sources:jobber:Poll:Entity"] = "Job",
            ["Sources:jobber:Poll:Topic"] = "JOB_CLOSED",
        });
        host.Server.Given(Request.Create().WithPath("/oauth/token").UsingPost())
            .RespondWith(Json("""{"access_token":"access-1","refresh_token":"refresh-2","expires_in":3600}"""));
        host.Server.Given(Request.Create().WithPath("/graphql").UsingPost().WithBody(new WildcardMatcher("*\"cursor\":null*"))).AtPriority(10)
            .RespondWith(Json(Page(["J1", "J2"], "2026-01-0{0}T10:00:00Z", "cursor-2")));
        host.Server.Given(Request.Create().WithPath("/graphql").UsingPost().WithBody(new WildcardMatcher("*\"cursor\":\"cursor-2\"*"))).AtPriority(1)
            .RespondWith(Json(Page(["J3"], "2026-01-0{0}T10:00:00Z", null, offset: 2)));
        var runner = host.Services.GetRequiredService<PollRunner>();

        var first = await runner.RunAsync("jobber", CancellationToken.None);
        var second = await runner.RunAsync("jobber", CancellationToken.None);

        Assert.Equal((2, 3, true), (first.Pages, first.Appended, first.SweepCompleted));
        Assert.Equal((0, 3), (second.Appended, second.Duplicates)); // the fake ignores "since": every node again, all already stored
        var watermark = await host.Services.GetRequiredService<ISourceStore>().GetWatermarkAsync("jobber", CancellationToken.None);
        Assert.Equal(new DateTimeOffset(2026, 1, 3, 10, 0, 0, TimeSpan.Zero), watermark!.Watermark);
        var queries = host.Server.LogEntries.Where(e => e.RequestMessage.Path == "/graphql").Select(e => JsonNode.Parse(e.RequestMessage.Body!)!).ToList();
        Assert.Contains("jobs(first: 100, after: $cursor)", queries[0]["query"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("filter: { updatedAfter: $since }", queries[2]["query"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("2026-01-03T10:00:00.0000000+00:00", queries[2]["variables"]!["since"]!.GetValue<string>());
    }

    private static string Page(string[] ids, string updatedAt, string? next, int offset = 0) => new JsonObject
    {
        ["data"] = new JsonObject
        {
            ["jobs"] = new JsonObject
            {
                ["nodes"] = new JsonArray([.. ids.Select((id, i) => (JsonNode)new JsonObject
                {
                    ["id"] = id, ["jobNumber"] = i + offset + 1, ["updatedAt"] = string.Format(System.Globalization.CultureInfo.InvariantCulture, updatedAt, i + offset + 1),
                })]),
                ["pageInfo"] = new JsonObject { ["endCursor"] = next, ["hasNextPage"] = next is not null },
            },
        },
        ["extensions"] = JsonNode.Parse("""{"cost":{"requestedQueryCost":400,"actualQueryCost":30,"throttleStatus":{"maximumAvailable":10000,"currentlyAvailable":9970,"restoreRate":500}}}"""),
    }.ToJsonString();

    private static IResponseBuilder Json(string body) => Response.Create().WithHeader("Content-Type", "application/json").WithBody(body);
}
