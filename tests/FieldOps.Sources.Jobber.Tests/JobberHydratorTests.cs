using System.Text.Json;
using System.Text.Json.Nodes;
using FieldOps.Integration.Core.Hydration;
using FieldOps.Integration.Core.Sources;
using WireMock.Matchers;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace FieldOps.Sources.Jobber.Tests;

/// <summary>The Jobber GraphQL client and hydrator against WireMock.Net: headers, tokens, throttling, versions.</summary>
public sealed class JobberHydratorTests
{
    private const string JobId = "Z2lkOi8vSm9iYmVyL0pvYi80MjQy";

    [Theory]
    [InlineData("jobber/visit-complete.json", "Visit", "Z2lkOi8vSm9iYmVyL1Zpc2l0LzQ1Njc4OQ==")]
    [InlineData("jobber/client-update.json", "Client", "Z2lkOi8vSm9iYmVyL0NsaWVudC8xMjM0NQ==")]
    [InlineData("jobber/invoice-create.json", "Invoice", "Z2lkOi8vSm9iYmVyL0ludm9pY2UvMzEzMzc=")]
    [InlineData("jobber/timesheet-create.json", "TimeSheetEntry", "Z2lkOi8vSm9iYmVyL1RpbWVTaGVldEVudHJ5Lzc3NzAwMQ==")]
    public async Task Describe_ThinWebhookFixture_NamesEntityFromTopicAndItemId(string fixture, string entityType, string itemId)
    {
        await using var host = await JobberTestHost.StartAsync();
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", fixture)));
        var body = JsonNode.Parse(document.RootElement.GetProperty("body").GetString()!)!;

        var request = host.Hydrator.Describe("jobber", body);

        Assert.Equal(("jobber", entityType, itemId), (request!.Source, request.EntityType, request.EntityId));
    }

    [Fact]
    public async Task Fetch_WithTokenAndVersionHeader_ReturnsRecordAndVersion()
    {
        await using var host = await JobberTestHost.StartAsync();
        Token(host, "refresh-1", "access-1", "refresh-2");
        host.Server.Given(GraphQL("access-1")).RespondWith(Json(Answer("2025-03-14T17:09:58-06:00", "2025-04-16")));

        var record = await host.Hydrator.FetchAsync(new HydrationRequest("jobber", "Job", JobId, "JOB_CLOSED"), CancellationToken.None);

        Assert.Equal(JobId, record.Record!["id"]!.GetValue<string>());
        Assert.Equal(DateTimeOffset.Parse("2025-03-14T17:09:58-06:00", System.Globalization.CultureInfo.InvariantCulture), record.Version);
        Assert.Empty(host.Warnings);
    }

    [Fact]
    public async Task Fetch_Throttled_ThrowsWithTheRefillTime()
    {
        await using var host = await JobberTestHost.StartAsync();
        Token(host, "refresh-1", "access-1", "refresh-2");
        host.Server.Given(GraphQL("access-1")).RespondWith(Json("""
            {"errors":[{"message":"Throttled","extensions":{"code":"THROTTLED"}}],
             "extensions":{"cost":{"requestedQueryCost":1500,"actualQueryCost":0,"throttleStatus":{"maximumAvailable":10000,"currentlyAvailable":500,"restoreRate":500}}}}
            """));

        var ex = await Assert.ThrowsAsync<SourceThrottledException>(() => host.Hydrator.FetchAsync(new HydrationRequest("jobber", "Job", JobId, "JOB_CLOSED"), CancellationToken.None));

        Assert.Equal(TimeSpan.FromSeconds(2), ex.RetryAfter); // (1500 - 500) / 500 per second
    }

    [Fact]
    public async Task Fetch_Http429_ThrowsThrottledWithRetryAfter()
    {
        await using var host = await JobberTestHost.StartAsync();
        Token(host, "refresh-1", "access-1", "refresh-2");
        host.Server.Given(GraphQL("access-1")).RespondWith(Response.Create().WithStatusCode(429).WithHeader("Retry-After", "7"));

        var ex = await Assert.ThrowsAsync<SourceThrottledException>(() => host.Hydrator.FetchAsync(new HydrationRequest("jobber", "Job", JobId, "JOB_CLOSED"), CancellationToken.None));

        Assert.Equal(TimeSpan.FromSeconds(7), ex.RetryAfter);
    }

    [Fact]
    public async Task Fetch_OtherVersionReported_LogsAWarningOnce()
    {
        await using var host = await JobberTestHost.StartAsync(apiVersion: "2022-04-29");
        Token(host, "refresh-1", "access-1", "refresh-2");
        host.Server.Given(Request.Create().WithPath("/graphql").UsingPost().WithHeader("X-JOBBER-GRAPHQL-VERSION", "2022-04-29"))
            .RespondWith(Json(Answer(null, "2023-08-18")));

        await host.Hydrator.FetchAsync(new HydrationRequest("jobber", "Job", JobId, "JOB_CLOSED"), CancellationToken.None);
        await host.Hydrator.FetchAsync(new HydrationRequest("jobber", "Job", JobId, "JOB_CLOSED"), CancellationToken.None);

        var warning = Assert.Single(host.Warnings);
        Assert.Contains("2022-04-29", warning, StringComparison.Ordinal);
        Assert.Contains("2023-08-18", warning, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Fetch_TokenRejected_RefreshesWithTheRotatedTokenAndRetriesOnce()
    {
        await using var host = await JobberTestHost.StartAsync();
        Token(host, "refresh-1", "access-1", "refresh-2");
        Token(host, "refresh-2", "access-2", "refresh-3");
        host.Server.Given(GraphQL("access-1")).RespondWith(Response.Create().WithStatusCode(401));
        host.Server.Given(GraphQL("access-2")).RespondWith(Json(Answer(null, null)));

        var record = await host.Hydrator.FetchAsync(new HydrationRequest("jobber", "Job", JobId, "JOB_CLOSED"), CancellationToken.None);

        Assert.Equal(JobId, record.Record!["id"]!.GetValue<string>());
        var grants = host.Server.LogEntries.Where(e => e.RequestMessage.Path == "/oauth/token").Select(e => e.RequestMessage.Body!).ToList();
        Assert.Equal(2, grants.Count);
        Assert.Contains("refresh_token=refresh-2", grants[1], StringComparison.Ordinal);
        Assert.Equal(2, host.Server.LogEntries.Count(e => e.RequestMessage.Path == "/graphql"));
    }

    private static void Token(JobberTestHost host, string refresh, string access, string rotated) =>
        host.Server.Given(Request.Create().WithPath("/oauth/token").UsingPost().WithBody(new WildcardMatcher($"*refresh_token={refresh}*")))
            .RespondWith(Json($$"""{"access_token":"{{access}}","refresh_token":"{{rotated}}","expires_in":3600}"""));

    private static IRequestBuilder GraphQL(string token) =>
        Request.Create().WithPath("/graphql").UsingPost().WithHeader("Authorization", $"Bearer {token}").WithHeader("X-JOBBER-GRAPHQL-VERSION", "2025-04-16");

    private static string Answer(string? updatedAt, string? version)
    {
        var job = new JsonObject { ["id"] = JobId };
        if (updatedAt is not null)
            job["updatedAt"] = updatedAt;
        var extensions = JsonNode.Parse("""{"cost":{"requestedQueryCost":48,"actualQueryCost":20,"throttleStatus":{"maximumAvailable":10000,"currentlyAvailable":9980,"restoreRate":500}}}""")!.AsObject();
        if (version is not null)
            extensions["versioning"] = new JsonObject { ["version"] = version };
        return new JsonObject { ["data"] = new JsonObject { ["job"] = job }, ["extensions"] = extensions }.ToJsonString();
    }

    private static IResponseBuilder Json(string body) => Response.Create().WithHeader("Content-Type", "application/json").WithBody(body);
}
