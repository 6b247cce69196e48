using FieldOps.Integration.Core.Connectors;
using WireMock.Server;

namespace FieldOps.Connectors.HubSpot.Tests.Regressions;

/// <summary>
/// HubSpot answers holding half a UTF-16 surrogate pair (a JSON escape such as <c>\ud83d</c>: an emoji cut in two), or
/// an emoji where a long body is cut. System.Text.Json parses such JSON but will not read the half as a string. Before:
/// the whole answer was taken as unreadable — a batch upsert whose one result held a half came back transient for every
/// input (the batch sent again at every attempt until dead), an update "answered success without an id", an error's
/// text lost (the reason only "HTTP 400"), the excerpt ending in half the emoji. Now the half is read as U+FFFD (the
/// dispatcher does not keep such an id as a cross-reference) and the excerpt ends before the emoji.
/// </summary>
public sealed class HubSpotSurrogateAnswerTests : IDisposable
{
    private readonly WireMockServer _server = WireMockServer.Start();
    private readonly HubSpotHarness _harness;

    public HubSpotSurrogateAnswerTests() => _harness = new HubSpotHarness(_server);

    public void Dispose()
    {
        _harness.Dispose();
        _server.Stop();
    }

    [Fact]
    public async Task BatchUpsert_OneResultHoldsHalfAPair_EveryInputIsDelivered()
    {
        var dana = Operations.UpsertContact("dana@example.com", "Dana", "CUST-1001");
        var sam = Operations.UpsertContact("sam@example.com", "Sam", "CUST-1002");
        _harness.Answer("POST", "contacts/batch/upsert", 200, $$$"""
            {"status": "COMPLETE", "results": [
              {"id": "5377", "objectWriteTraceId": "{{{dana.Id}}}", "properties": {"email": "dana@example.com", "firstname": "Dana"}},
              {"id": "5378\ud83d", "objectWriteTraceId": "{{{sam.Id}}}", "properties": {"email": "sam@example.com", "firstname": "Sam \ud83d"}}]}
            """);

        var outcomes = await _harness.Connector.DeliverBatchAsync([dana, sam], default);

        Assert.All(outcomes, o => Assert.Equal(OutcomeKind.Delivered, o.Kind));
        Assert.Equal(["5377", "5378\uFFFD"], outcomes.Select(o => o.TargetId));
        Assert.Single(_server.LogEntries);
    }

    [Fact]
    public async Task CloseTicket_AnswerIdHoldsHalfAPair_IsDeliveredWithTheHalfAsReplacementCharacter()
    {
        _harness.Answer("PATCH", "tickets/JOB-2024-0042", 200, """{"id": "1834567890\ud83d", "properties": {"content": "Replaced the tank"}}""");

        var outcome = await _harness.Connector.DeliverAsync(Operations.CloseTicket("JOB-2024-0042"), default);

        Assert.Equal(OutcomeKind.Delivered, outcome.Kind);
        Assert.Equal("1834567890\uFFFD", outcome.TargetId);
    }

    [Fact]
    public async Task Upsert_ErrorMessageHoldsHalfAPair_IsPermanentWithHubSpotsText()
    {
        _harness.Answer("POST", "contacts/batch/upsert", 400,
            """{"status": "error", "message": "Property values were not valid: Caf\ud83d", "category": "VALIDATION_ERROR", "correlationId": "b8b47229"}""");

        var outcome = await _harness.Connector.DeliverAsync(Operations.UpsertContact("dana@example.com", "Dana", "CUST-1001"), default);

        Assert.Equal(OutcomeKind.Permanent, outcome.Kind);
        Assert.Equal("VALIDATION_ERROR: Property values were not valid: Caf\uFFFD", outcome.Message);
    }

    [Fact]
    public async Task Upsert_LongErrorBodyWithAnEmojiAtTheCut_ExcerptEndsBeforeTheEmoji()
    {
        // The emoji's halves sit at 499 and 500: the excerpt's cut at 500 characters falls between them.
        _harness.Answer("POST", "contacts/batch/upsert", 502, new string('x', 499) + "\U0001F525 and the rest");

        var outcome = await _harness.Connector.DeliverAsync(Operations.UpsertContact("dana@example.com", "Dana", "CUST-1001"), default);

        Assert.Equal(OutcomeKind.Transient, outcome.Kind);
        Assert.Equal(new string('x', 499) + "…", outcome.ResponseExcerpt);
    }
}
