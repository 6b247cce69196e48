using System.Text.Json.Nodes;
using FieldOps.Integration.Core.Connectors;
using Microsoft.Extensions.DependencyInjection;
using WireMock.Server;

namespace FieldOps.Connectors.Salesforce.Tests.Regressions;

/// <summary>
/// An enrich read (SOQL) whose answer holds half a UTF-16 surrogate pair (<c>\ud83d</c>: a name cut through an emoji).
/// Before, the answer was parsed as it was: reading that name, or writing the answer into the event's enrichment, threw
/// (System.Text.Json will not read or write such a string), and the event parked. Now the half reads as U+FFFD.
/// </summary>
public sealed class SalesforceReaderSurrogateTests : IDisposable
{
    private readonly WireMockServer _instance = WireMockServer.Start();
    private readonly SalesforceHarness _harness;

    public SalesforceReaderSurrogateTests() => _harness = new SalesforceHarness(_instance);

    public void Dispose()
    {
        _harness.Dispose();
        _instance.Stop();
    }

    [Fact]
    public async Task Query_AnswerHoldsHalfAPair_IsReadWithTheReplacementCharacterAndWritable()
    {
        _harness.Answer("GET", "query", 200, """{"totalSize": 1, "done": true, "records": [{"Id": "001Dn00000AbC", "Name": "Caf\ud83d"}]}""");
        var reader = _harness.Services.GetRequiredKeyedService<IConnectorReader>("salesforce");

        var result = await reader.ReadAsync("default", "query", new JsonObject { ["soql"] = "SELECT Id, Name FROM Account" }, CancellationToken.None);

        Assert.Null(result.Failure);
        Assert.Equal("Caf\uFFFD", result.Answer!["records"]![0]!["Name"]!.GetValue<string>());
        Assert.Contains("001Dn00000AbC", result.Answer.ToJsonString(), StringComparison.Ordinal);
    }
}
