using System.Text.Json.Nodes;
using FieldOps.Integration.Core.Connectors;
using Microsoft.Extensions.DependencyInjection;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace FieldOps.Connectors.HubSpot.Tests.Regressions;

/// <summary>
/// An enrich read (CRM search) whose answer holds half a UTF-16 surrogate pair (<c>\ud83d</c>: a subject cut through an
/// emoji). Before, the answer was parsed as it was: reading that subject, or writing the answer into the event's
/// enrichment, threw (System.Text.Json will not read or write such a string), and the event parked. Now the half reads
/// as U+FFFD.
/// </summary>
public sealed class HubSpotReaderSurrogateTests : IDisposable
{
    private readonly WireMockServer _server = WireMockServer.Start();
    private readonly HubSpotHarness _harness;

    public HubSpotReaderSurrogateTests() => _harness = new HubSpotHarness(_server);

    public void Dispose()
    {
        _harness.Dispose();
        _server.Stop();
    }

    [Fact]
    public async Task Search_AnswerHoldsHalfAPair_IsReadWithTheReplacementCharacterAndWritable()
    {
        _server.Given(Request.Create().WithPath("/crm/v3/objects/tickets/search").UsingPost()).RespondWith(Response.Create()
            .WithHeader("Content-Type", "application/json")
            .WithBody("""{"total": 1, "results": [{"id": "9001", "properties": {"subject": "Leaking heater \ud83d"}}]}"""));
        var reader = _harness.Services.GetRequiredKeyedService<IConnectorReader>("hubspot");

        var result = await reader.ReadAsync("default", "search", new JsonObject { ["objectType"] = "tickets" }, CancellationToken.None);

        Assert.Null(result.Failure);
        Assert.Equal("Leaking heater \uFFFD", result.Answer!["results"]![0]!["properties"]!["subject"]!.GetValue<string>());
        Assert.Contains("9001", result.Answer.ToJsonString(), StringComparison.Ordinal);
    }
}
