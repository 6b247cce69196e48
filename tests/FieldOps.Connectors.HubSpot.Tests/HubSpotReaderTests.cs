using System.Text.Json;
using System.Text.Json.Nodes;
using FieldOps.Integration.Core.Connectors;
using Microsoft.Extensions.DependencyInjection;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace FieldOps.Connectors.HubSpot.Tests;

/// <summary>The enrich read <c>search</c> against a WireMock CRM: the request HubSpot documents, its answer as is.</summary>
public sealed class HubSpotReaderTests : IDisposable
{
    private readonly WireMockServer _server = WireMockServer.Start();
    private readonly HubSpotHarness _harness;

    public HubSpotReaderTests() => _harness = new HubSpotHarness(_server);

    private IConnectorReader Reader => _harness.Services.GetRequiredKeyedService<IConnectorReader>("hubspot");

    [Fact]
    public async Task Search_AContactsRecentTickets_PostsTheFiltersAndReturnsTheResult()
    {
        _server.Given(Request.Create().WithPath("/crm/v3/objects/tickets/search").UsingPost()).RespondWith(Response.Create()
            .WithHeader("Content-Type", "application/json")
            .WithBody("""{"total":1,"results":[{"id":"9001","properties":{"subject":"Leaking water heater","hs_pipeline_stage":"1"}}]}"""));

        var result = await Reader.ReadAsync("default", "search", new JsonObject
        {
            ["objectType"] = "tickets",
            ["filters"] = new JsonArray(new JsonObject { ["propertyName"] = "associations.contact", ["operator"] = "EQ", ["value"] = "501" }),
            ["properties"] = new JsonArray("subject", "hs_pipeline_stage"),
            ["sorts"] = new JsonArray(new JsonObject { ["propertyName"] = "createdate", ["direction"] = "DESCENDING" }),
            ["limit"] = 5,
        }, CancellationToken.None);

        Assert.Null(result.Failure);
        Assert.Equal("Leaking water heater", result.Answer!["results"]![0]!["properties"]!["subject"]!.GetValue<string>());
        using var sent = JsonDocument.Parse(_server.LogEntries.Single().RequestMessage.Body!);
        var filter = sent.RootElement.GetProperty("filterGroups")[0].GetProperty("filters")[0];
        Assert.Equal("associations.contact", filter.GetProperty("propertyName").GetString());
        Assert.Equal("EQ", filter.GetProperty("operator").GetString());
        Assert.Equal("501", filter.GetProperty("value").GetString());
        Assert.Equal("createdate", sent.RootElement.GetProperty("sorts")[0].GetProperty("propertyName").GetString());
        Assert.Equal(5, sent.RootElement.GetProperty("limit").GetInt32());
        Assert.Equal("Bearer " + HubSpotHarness.PrivateAppToken, _server.LogEntries.Single().RequestMessage.Headers!["Authorization"].Single());
    }

    [Fact]
    public async Task Search_Refused_FailsWithHubSpotsText()
    {
        _server.Given(Request.Create().WithPath("/crm/v3/objects/tickets/search").UsingPost()).RespondWith(Response.Create().WithStatusCode(400)
            .WithHeader("Content-Type", "application/json")
            .WithBody("""{"status":"error","message":"There was a problem with the request.","category":"VALIDATION_ERROR","errors":[{"message":"Unknown property 'nope'"}]}"""));

        var result = await Reader.ReadAsync("default", "search", new JsonObject { ["objectType"] = "tickets" }, CancellationToken.None);

        Assert.Null(result.Answer);
        Assert.StartsWith("Permanent", result.Failure, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        _harness.Dispose();
        _server.Stop();
    }
}
