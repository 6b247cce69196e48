using FieldOps.Connectors.BambooHR.Tests.Support;
using FieldOps.Integration.Core.Connectors;
using FieldOps.Integration.Testing;
using WireMock.RequestBuilders;
using WireMock.Server;
using static FieldOps.Integration.Testing.VendorAnswers;

namespace FieldOps.Connectors.BambooHR.Tests.Regressions;

/// <summary>
/// BambooHR answers holding half a UTF-16 surrogate pair (a JSON escape such as <c>\ud83d</c>: an emoji cut in two), or
/// an emoji where a long body is cut. System.Text.Json parses such JSON but will not read the half as a string. Before:
/// a bulk Hours answer whose one item's message held a half was unreadable as a whole, so every record of the call came
/// back transient (sent again at every attempt until dead) instead of the others delivered and that one refused; one
/// employee of the directory with a half in the work e-mail made every lookup throw out of the connector; the excerpt
/// ended in half the emoji. Now the half is read as U+FFFD.
/// </summary>
public sealed class BambooHRSurrogateAnswerTests : IDisposable
{
    private const string RecordPath = "/api/v1/timetracking/record";
    private const string DirectoryPath = "/api/v1/employees/directory";
    private readonly WireMockServer _server = WireMockServer.Start();
    private readonly BambooHRTestHost _host;

    public BambooHRSurrogateAnswerTests() => _host = new BambooHRTestHost(_server.Url!);

    [Fact]
    public async Task DeliverBatch_OneItemsMessageHoldsHalfAPair_OthersDeliveredAndItRefusedInBambooHRsWords()
    {
        _server.Given(Request.Create().WithPath(RecordPath).UsingPost()).RespondWith(JsonReply(201, """
            [{"success": true, "response": {"id": "K-1", "message": null}},
             {"success": false, "response": {"id": "K-2", "message": "Project Caf\ud83d is closed"}}]
            """));

        var outcomes = await _host.Connector.DeliverBatchAsync([HourOperations.LogTime("K-1"), HourOperations.LogTime("K-2")], CancellationToken.None);

        Assert.Equal([OutcomeKind.Delivered, OutcomeKind.Permanent], outcomes.Select(o => o.Kind));
        Assert.Equal("BambooHR refused hour record K-2: Project Caf\uFFFD is closed", outcomes[1].Message);
        Assert.Single(_server.Calls("POST", RecordPath));
    }

    [Fact]
    public async Task LogTime_ByWorkEmail_AnotherEmployeeHoldsHalfAPair_StillFindsTheEmployee()
    {
        _server.Given(Request.Create().WithPath(DirectoryPath).UsingGet()).RespondWith(JsonReply(200, """
            {"employees":[{"id":"204","displayName":"Zo\ud83d","workEmail":"zo\ud83d@acmefield.com"},{"id":"205","displayName":"Ana Ruiz","workEmail":"ana@acmefield.com"}]}
            """));
        _server.Given(Request.Create().WithPath(RecordPath).UsingPost()).RespondWith(JsonReply(201, """[{"success": true, "response": {"id": "K-1", "message": null}}]"""));

        var outcome = await _host.Connector.DeliverAsync(HourOperations.LogTime("K-1", "T-205", "ana@acmefield.com"), CancellationToken.None);

        Assert.Equal(OutcomeKind.Delivered, outcome.Kind);
        Assert.Equal(205L, Assert.Single(_server.Calls("POST", RecordPath)).JsonArrayBody()[0]!["employeeId"]!.GetValue<long>());
    }

    [Fact]
    public async Task LogTime_LongErrorBodyWithAnEmojiAtTheCut_ExcerptEndsBeforeTheEmoji()
    {
        // The emoji's halves sit at 599 and 600: the excerpt's cut at 600 characters falls between them.
        _server.Given(Request.Create().WithPath(RecordPath).UsingPost()).RespondWith(JsonReply(504, new string('x', 599) + "\U0001F525 and the rest"));

        var outcome = await _host.Connector.DeliverAsync(HourOperations.LogTime("K-1"), CancellationToken.None);

        Assert.Equal(OutcomeKind.Transient, outcome.Kind);
        Assert.Equal(new string('x', 599) + "…", outcome.ResponseExcerpt);
    }

    public void Dispose()
    {
        _host.Dispose();
        _server.Stop();
    }
}
