using FieldOps.Connectors.QuickBooks.Tests.Support;
using FieldOps.Integration.Core.Connectors;
using FieldOps.Integration.Testing;
using WireMock.RequestBuilders;
using WireMock.Server;
using static FieldOps.Integration.Testing.VendorAnswers;

namespace FieldOps.Connectors.QuickBooks.Tests.Regressions;

/// <summary>
/// QuickBooks answers holding half a UTF-16 surrogate pair (a JSON escape such as <c>\ud83d</c>: an emoji cut in two), or
/// an emoji where a long body is cut. System.Text.Json parses such JSON but will not read the half as a string. Before:
/// an invoice created under HTTP 200 whose id held a half threw a JsonException out of the connector (retried at every
/// attempt until dead); a fault with a half anywhere was unreadable, so its code was lost — a stale object (5010, a
/// conflict to retry) was dead-lettered as permanent with no QuickBooks text; the excerpt ended in half the emoji. Now the
/// half is read as U+FFFD (the dispatcher does not keep such an id as a cross-reference).
/// </summary>
public sealed class QuickBooksSurrogateAnswerTests : IDisposable
{
    private const string Company = $"/v3/company/{QuickBooksTestHost.Realm}";
    private readonly WireMockServer _server = WireMockServer.Start();
    private readonly QuickBooksTestHost _host;

    public QuickBooksSurrogateAnswerTests() => _host = new QuickBooksTestHost(_server);

    [Fact]
    public async Task CreateInvoice_AnswerHoldsHalfAPair_IsDeliveredWithTheHalfAsReplacementCharacter()
    {
        var body = Fixture.Load("invoice-create-response.json").ResponseBody!;
        var halved = body.Replace("\"147\"", "\"147\\ud83d\"", StringComparison.Ordinal)
            .Replace("Thank you for your business!", "Thank you \\ud83d", StringComparison.Ordinal);
        Assert.NotEqual(body, halved);
        _server.Given(Request.Create().WithPath(Company + "/invoice").UsingPost()).RespondWith(JsonReply(200, halved));

        var outcome = await _host.Connector.DeliverAsync(Operations.CreateInvoice(), CancellationToken.None);

        Assert.Equal(OutcomeKind.Delivered, outcome.Kind);
        Assert.Equal("147\uFFFD", outcome.TargetId);
        Assert.Single(_server.Calls("POST", "/invoice"));
    }

    [Fact]
    public async Task CreateInvoice_StaleObjectFaultHoldsHalfAPair_IsAConflictInQuickBooksWords()
    {
        _server.Given(Request.Create().WithPath(Company + "/invoice").UsingPost()).RespondWith(JsonReply(400, """
            {"Fault": {"Error": [{"Message": "Stale Object Error", "Detail": "Stale Object Error : Jane \ud83d finished before you did", "code": "5010", "element": ""}],
             "type": "ValidationFault"}, "time": "2025-06-03T09:31:02.004-07:00"}
            """));

        var outcome = await _host.Connector.DeliverAsync(Operations.CreateInvoice(), CancellationToken.None);

        Assert.Equal(OutcomeKind.Conflict, outcome.Kind);
        Assert.Contains("5010 Stale Object Error: Stale Object Error : Jane \uFFFD finished before you did", outcome.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateInvoice_LongErrorBodyWithAnEmojiAtTheCut_ExcerptEndsBeforeTheEmoji()
    {
        // The emoji's halves sit at 599 and 600: the excerpt's cut at 600 characters falls between them.
        _server.Given(Request.Create().WithPath(Company + "/invoice").UsingPost())
            .RespondWith(JsonReply(502, new string('x', 599) + "\U0001F525 and the rest"));

        var outcome = await _host.Connector.DeliverAsync(Operations.CreateInvoice(), CancellationToken.None);

        Assert.Equal(OutcomeKind.Transient, outcome.Kind);
        Assert.Equal(new string('x', 599) + "…", outcome.ResponseExcerpt);
    }

    public void Dispose()
    {
        _host.Dispose();
        _server.Stop();
    }
}
