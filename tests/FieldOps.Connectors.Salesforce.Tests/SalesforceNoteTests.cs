using System.Text.Json;
using FieldOps.Integration.Core.Connectors;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace FieldOps.Connectors.Salesforce.Tests;

/// <summary>CaseComment notes: not idempotent, so marked with the operation key and looked for before a resend.</summary>
public sealed class SalesforceNoteTests : IDisposable
{
    private const string CaseId = "500Dn00000XyZ12IAB";
    private const string OperationId = "0f1e2d3c4b5a69788796a5b4c3d2e1f0";
    private readonly WireMockServer _instance = WireMockServer.Start();
    private readonly SalesforceHarness _harness;

    public SalesforceNoteTests() => _harness = new SalesforceHarness(_instance);

    public void Dispose()
    {
        _harness.Dispose();
        _instance.Stop();
    }

    [Fact]
    public async Task Note_CreatesCaseCommentCarryingTheMarker_ReturnsTheCommentId()
    {
        _harness.Answer("POST", "sobjects/CaseComment", "casecomment-create.json");
        var outcome = await _harness.Connector.DeliverAsync(Operations.CaseComment(CaseId, "Customer signed off."), default);
        Assert.Equal(OutcomeKind.Delivered, outcome.Kind);
        Assert.Equal("00aDn000002QwErIAK", outcome.TargetId);
        using var body = JsonDocument.Parse(Assert.Single(_instance.LogEntries).RequestMessage.Body!);
        Assert.Equal($"Customer signed off.\n[fieldops:{OperationId}]", body.RootElement.GetProperty("CommentBody").GetString());
        Assert.Equal(CaseId, body.RootElement.GetProperty("ParentId").GetString());
    }

    [Fact]
    public void IsNonIdempotent_IsTrueForNotesOnly()
    {
        Assert.True(_harness.Connector.IsNonIdempotent(Operations.CaseComment(CaseId, "x")));
        Assert.False(_harness.Connector.IsNonIdempotent(Operations.CloseCase(CaseId)));
    }

    [Fact]
    public async Task CheckEffect_WhenACommentCarriesTheMarker_ReturnsAppliedWithItsId()
    {
        ArrangeComments($$"""[{"Id": "00aDn000002QwAAIAK", "CommentBody": "other"}, {"Id": "00aDn000002QwErIAK", "CommentBody": "Signed off.\n[fieldops:{{OperationId}}]"}]""");
        var (result, id) = await _harness.Connector.CheckEffectAsync(Operations.CaseComment(CaseId, "Signed off."), default);
        Assert.Equal(EffectCheck.Applied, result);
        Assert.Equal("00aDn000002QwErIAK", id);
        var query = Assert.Single(_instance.LogEntries).RequestMessage.Query!["q"].Single();
        Assert.Contains($"ParentId = '{CaseId}'", query, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckEffect_WhenNoCommentCarriesTheMarker_ReturnsNotApplied()
    {
        ArrangeComments("""[{"Id": "00aDn000002QwAAIAK", "CommentBody": "[fieldops:ffffffffffffffffffffffffffffffff]"}]""");
        var (result, _) = await _harness.Connector.CheckEffectAsync(Operations.CaseComment(CaseId, "x"), default);
        Assert.Equal(EffectCheck.NotApplied, result);
    }

    [Fact]
    public async Task CheckEffect_WithAParentIdThatIsNotARecordId_ReturnsUnknownWithoutAQuery()
    {
        var (result, _) = await _harness.Connector.CheckEffectAsync(Operations.CaseComment("x' OR Id != '", "x"), default);
        Assert.Equal(EffectCheck.Unknown, result);
        Assert.Empty(_instance.LogEntries);
    }

    [Fact]
    public async Task CheckEffect_WhenTheQueryIsRefused_ReturnsUnknown()
    {
        _harness.Answer("GET", "query", 400, """[{"message": "sObject type 'CaseComment' is not supported.", "errorCode": "INVALID_TYPE"}]""");
        var (result, _) = await _harness.Connector.CheckEffectAsync(Operations.CaseComment(CaseId, "x"), default);
        Assert.Equal(EffectCheck.Unknown, result);
    }

    [Fact]
    public async Task CheckEffect_OnAServerFault_Throws_SoTheDispatcherRetries()
    {
        _harness.Answer("GET", "query", 503, null);
        await Assert.ThrowsAsync<HttpRequestException>(() => _harness.Connector.CheckEffectAsync(Operations.CaseComment(CaseId, "x"), default));
    }

    private void ArrangeComments(string records) =>
        _instance.Given(Request.Create().WithPath(SalesforceHarness.Path("query")).UsingGet())
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json")
                .WithBody($$"""{"totalSize": 2, "done": true, "records": {{records}}}"""));
}
