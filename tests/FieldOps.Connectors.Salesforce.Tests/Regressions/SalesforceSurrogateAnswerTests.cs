using FieldOps.Integration.Core.Connectors;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace FieldOps.Connectors.Salesforce.Tests.Regressions;

/// <summary>
/// Salesforce answers holding half a UTF-16 surrogate pair (a JSON escape such as <c>\ud83d</c>: an emoji cut in two),
/// or an emoji where a long body is cut. System.Text.Json parses such JSON but will not read the half as a string. Before:
/// a save result's id threw a JsonException out of the connector (the dispatcher retried the upsert at every attempt
/// until dead, and an interrupted CaseComment's effect check failed the same way); an error array was lost, the reason
/// only "HTTP 400"; the excerpt ended in half the emoji. Now the half is read as U+FFFD (the dispatcher does not keep
/// such an id as a cross-reference) and the excerpt ends before the emoji.
/// </summary>
public sealed class SalesforceSurrogateAnswerTests : IDisposable
{
    private const string AccountPath = "sobjects/Account/FS_Customer_Id__c/CUST-1001";
    private const string CaseId = "500Dn00000XyZ12IAB";
    private const string OperationId = "0f1e2d3c4b5a69788796a5b4c3d2e1f0";
    private readonly WireMockServer _instance = WireMockServer.Start();
    private readonly SalesforceHarness _harness;

    public SalesforceSurrogateAnswerTests() => _harness = new SalesforceHarness(_instance);

    public void Dispose()
    {
        _harness.Dispose();
        _instance.Stop();
    }

    [Fact]
    public async Task Upsert_SaveResultIdHoldsHalfAPair_IsDeliveredWithTheHalfAsReplacementCharacter()
    {
        _harness.Answer("PATCH", AccountPath, 201, """{"id": "001Dn00000AbC\ud83d", "success": true, "errors": [], "created": true}""");

        var outcome = await _harness.Connector.DeliverAsync(Operations.Upsert("CUST-1001", """{"Name": "Harbor View Dental"}"""), default);

        Assert.Equal(OutcomeKind.Delivered, outcome.Kind);
        Assert.Equal("001Dn00000AbC\uFFFD", outcome.TargetId);
        Assert.Single(_instance.LogEntries);
    }

    [Fact]
    public async Task Upsert_ErrorMessageHoldsHalfAPair_IsPermanentWithSalesforcesText()
    {
        _harness.Answer("PATCH", AccountPath, 400,
            """[{"message": "Name may not hold Caf\ud83d", "errorCode": "FIELD_CUSTOM_VALIDATION_EXCEPTION", "fields": ["Name"]}]""");

        var outcome = await _harness.Connector.DeliverAsync(Operations.Upsert("CUST-1001", """{"Name": "Harbor View Dental"}"""), default);

        Assert.Equal(OutcomeKind.Permanent, outcome.Kind);
        Assert.Equal("FIELD_CUSTOM_VALIDATION_EXCEPTION: Name may not hold Caf\uFFFD [Name]", outcome.Message);
        Assert.Equal(["Name"], outcome.Fields);
    }

    [Fact]
    public async Task Upsert_LongErrorBodyWithAnEmojiAtTheCut_ExcerptEndsBeforeTheEmoji()
    {
        // The emoji's halves sit at 499 and 500: the excerpt's cut at 500 characters falls between them.
        _harness.Answer("PATCH", AccountPath, 500, new string('x', 499) + "\U0001F525 and the rest");

        var outcome = await _harness.Connector.DeliverAsync(Operations.Upsert("CUST-1001", """{"Name": "Harbor View Dental"}"""), default);

        Assert.Equal(OutcomeKind.Transient, outcome.Kind);
        Assert.Equal(new string('x', 499) + "…", outcome.ResponseExcerpt);
    }

    [Fact]
    public async Task CheckEffect_AnotherCommentHoldsHalfAPair_StillFindsTheMarker()
    {
        _instance.Given(Request.Create().WithPath(SalesforceHarness.Path("query")).UsingGet())
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json").WithBody(
                $$"""{"totalSize": 2, "done": true, "records": [{"Id": "00aDn000002QwAAIAK", "CommentBody": "Great job \ud83d"}, {"Id": "00aDn000002QwErIAK", "CommentBody": "Signed off.\n[fieldops:{{OperationId}}]"}]}"""));

        var (result, id) = await _harness.Connector.CheckEffectAsync(Operations.CaseComment(CaseId, "Signed off."), default);

        Assert.Equal(EffectCheck.Applied, result);
        Assert.Equal("00aDn000002QwErIAK", id);
    }
}
