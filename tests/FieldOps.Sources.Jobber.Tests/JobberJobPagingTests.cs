using System.Text.Json.Nodes;
using FieldOps.Integration.Core.Hydration;
using WireMock.Matchers;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace FieldOps.Sources.Jobber.Tests;

/// <summary>A job's hydration: one call with everything the shipped flows read, more only for a connection with more pages.</summary>
public sealed class JobberJobPagingTests
{
    private const string JobId = "Z2lkOi8vSm9iYmVyL0pvYi80MjQy";

    [Fact]
    public async Task Fetch_JobWithOnePageOfEverything_IsOneCallAskingForEveryFieldTheFlowsRead()
    {
        await using var host = await JobberTestHost.StartAsync();
        Token(host);
        host.Server.Given(GraphQL()).RespondWith(Json(JobAnswer(hasMore: false)));

        var record = await host.Hydrator.FetchAsync(new HydrationRequest("jobber", "Job", JobId, "JOB_CLOSED"), CancellationToken.None);

        var call = Assert.Single(host.Server.LogEntries, e => e.RequestMessage.Path == "/graphql");
        var query = JsonNode.Parse(call.RequestMessage.Body!)!["query"]!.GetValue<string>();
        foreach (var field in new[] { "total", "client {", "emails { address primary }", "billingAddress {", "property { address {", "taxable",
                     "linkedProductOrService { name }", "notes(first: 20)", "timeSheetEntries(first: 50)", "email { raw }", "pageInfo { hasNextPage endCursor }" })
            Assert.Contains(field, query, StringComparison.Ordinal);
        Assert.Single(record.Record!["lineItems"]!["nodes"]!.AsArray());
    }

    [Fact]
    public async Task Fetch_JobWithMoreLineItemsThanOnePage_PagesTheRestAndKeepsTheOrder()
    {
        await using var host = await JobberTestHost.StartAsync();
        Token(host);
        host.Server.Given(GraphQL().WithBody(new WildcardMatcher("*query Hydrate*"))).RespondWith(Json(JobAnswer(hasMore: true)));
        host.Server.Given(GraphQL().WithBody(new WildcardMatcher("*query Page*lineItems(first: 100, after: $after)*"))).RespondWith(Json("""
            {"data":{"job":{"lineItems":{"nodes":[{"id":"L2","name":"Igniter","quantity":3,"unitPrice":19.99,"totalPrice":59.97,"taxable":true}],
             "pageInfo":{"hasNextPage":false,"endCursor":"c2"}}}}}
            """));

        var record = await host.Hydrator.FetchAsync(new HydrationRequest("jobber", "Job", JobId, "JOB_CLOSED"), CancellationToken.None);

        Assert.Equal(["L1", "L2"], record.Record!["lineItems"]!["nodes"]!.AsArray().Select(n => n!["id"]!.GetValue<string>()));
        var calls = host.Server.LogEntries.Where(e => e.RequestMessage.Path == "/graphql").ToList();
        Assert.Equal(2, calls.Count);
        Assert.Equal("c1", JsonNode.Parse(calls[1].RequestMessage.Body!)!["variables"]!["after"]!.GetValue<string>());
    }

    private static string JobAnswer(bool hasMore) => """
        {"data":{"job":{"id":"JOB_ID","updatedAt":"2025-03-14T17:09:58-06:00","total":161.97,
          "lineItems":{"nodes":[{"id":"L1","name":"Furnace service","quantity":1,"unitPrice":149.97,"totalPrice":149.97,"taxable":true}],
                       "pageInfo":{"hasNextPage":HAS_MORE,"endCursor":"c1"}},
          "notes":{"nodes":[],"pageInfo":{"hasNextPage":false,"endCursor":null}},
          "timeSheetEntries":{"nodes":[],"pageInfo":{"hasNextPage":false,"endCursor":null}}}},
         "extensions":{"cost":{"requestedQueryCost":48,"actualQueryCost":20,"throttleStatus":{"maximumAvailable":10000,"currentlyAvailable":9980,"restoreRate":500}}}}
        """.Replace("JOB_ID", JobId, StringComparison.Ordinal).Replace("HAS_MORE", hasMore ? "true" : "false", StringComparison.Ordinal);

    private static void Token(JobberTestHost host) =>
        host.Server.Given(Request.Create().WithPath("/oauth/token").UsingPost())
            .RespondWith(Json("""{"access_token":"access-1","refresh_token":"refresh-2","expires_in":3600}"""));

    private static IRequestBuilder GraphQL() => Request.Create().WithPath("/graphql").UsingPost().WithHeader("Authorization", "Bearer access-1");

    private static IResponseBuilder Json(string body) => Response.Create().WithHeader("Content-Type", "application/json").WithBody(body);
}
