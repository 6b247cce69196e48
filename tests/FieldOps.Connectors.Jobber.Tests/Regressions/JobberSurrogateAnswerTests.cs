using FieldOps.Integration.Core.Connectors;
using FieldOps.Integration.Testing.Vendors;
using WireMock.Server;

namespace FieldOps.Connectors.Jobber.Tests.Regressions;

/// <summary>
/// Jobber answers holding half a UTF-16 surrogate pair (a JSON escape such as <c>\ud83d</c>: an emoji cut in two).
/// System.Text.Json parses such JSON but will not read the half as a string. Before: a user error's message holding a
/// half threw InvalidOperationException out of the connector (retried as transient at every attempt until dead, the
/// reason an exception's, not Jobber's words). Now the half is read as U+FFFD.
/// </summary>
public sealed class JobberSurrogateAnswerTests : IDisposable
{
    private readonly WireMockServer _server = WireMockServer.Start();

    [Fact]
    public async Task Deliver_UserErrorMessageHoldsHalfAPair_IsPermanentInJobbersWords()
    {
        _server.Answer("FindClients", """{"data":{"clients":{"nodes":[]}}}""");
        _server.Answer("ClientCreate", """{"data":{"clientCreate":{"client":null,"userErrors":[{"message":"Name Caf\ud83d is not allowed","path":["input","firstName"]}]}}}""");
        var payload = new { fields = new { firstName = "Dana" }, @params = new { matchEmail = "dana@example.com" } };

        var outcome = await JobberHarness.Create(_server).DeliverAsync(JobberHarness.Operation("upsert", "Client", payload), CancellationToken.None);

        Assert.Equal(OutcomeKind.Permanent, outcome.Kind);
        Assert.Contains("Name Caf\uFFFD is not allowed", outcome.Message, StringComparison.Ordinal);
        Assert.Equal(1, _server.Posted("ClientCreate"));
    }

    public void Dispose() => _server.Stop();
}
