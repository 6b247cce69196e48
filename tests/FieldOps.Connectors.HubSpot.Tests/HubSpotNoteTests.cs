using System.Text.Json;
using FieldOps.Integration.Core.Connectors;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace FieldOps.Connectors.HubSpot.Tests;

/// <summary>Notes: not idempotent, so created with the operation's marker and searched for before a resend.</summary>
public sealed class HubSpotNoteTests : IDisposable
{
    private const string OperationId = "0f1e2d3c4b5a69788796a5b4c3d2e1f0";
    private readonly WireMockServer _server = WireMockServer.Start();
    private readonly HubSpotHarness _harness;

    public HubSpotNoteTests() => _harness = new HubSpotHarness(_server);

    public void Dispose()
    {
        _harness.Dispose();
        _server.Stop();
    }

    [Fact]
    public async Task Note_IsAssociatedWithTheTicketAndTheContact_AndCarriesTheMarker()
    {
        _harness.Answer("POST", "notes", "note-create-on-ticket.json");
        var outcome = await _harness.Connector.DeliverAsync(Operations.Note("1834567890", "5101"), default);
        Assert.Equal(OutcomeKind.Delivered, outcome.Kind);
        Assert.Equal("58123456789", outcome.TargetId);
        using var body = JsonDocument.Parse(Assert.Single(_server.LogEntries).RequestMessage.Body!);
        var root = body.RootElement;
        Assert.Contains("fieldops" + OperationId, root.GetProperty("properties").GetProperty("hs_note_body").GetString(), StringComparison.Ordinal);
        Assert.Equal("2025-06-03T15:40:00Z", root.GetProperty("properties").GetProperty("hs_timestamp").GetString());
        var associations = root.GetProperty("associations").EnumerateArray()
            .Select(a => (a.GetProperty("to").GetProperty("id").GetString(), a.GetProperty("types")[0].GetProperty("associationTypeId").GetInt32())).ToList();
        Assert.Equal([("1834567890", 228), ("5101", 202)], associations);
        Assert.Equal("HUBSPOT_DEFINED", root.GetProperty("associations")[0].GetProperty("types")[0].GetProperty("associationCategory").GetString());
    }

    [Fact]
    public void IsNonIdempotent_IsTrueForNotesOnly()
    {
        Assert.True(_harness.Connector.IsNonIdempotent(Operations.Note("1")));
        Assert.False(_harness.Connector.IsNonIdempotent(Operations.CloseTicket("JOB-1")));
    }

    [Fact]
    public async Task CheckEffect_WhenTheSearchFindsTheMarker_ReturnsAppliedWithTheNoteId()
    {
        ArrangeSearch($$$"""[{"id": "58123456789", "properties": {"hs_note_body": "<p>x</p><p>[ref fieldops{{{OperationId}}}]</p>"}}]""");
        var (result, id) = await _harness.Connector.CheckEffectAsync(Operations.Note("1834567890"), default);
        Assert.Equal(EffectCheck.Applied, result);
        Assert.Equal("58123456789", id);
        using var body = JsonDocument.Parse(Assert.Single(_server.LogEntries).RequestMessage.Body!);
        var filter = body.RootElement.GetProperty("filterGroups")[0].GetProperty("filters")[0];
        Assert.Equal("hs_note_body", filter.GetProperty("propertyName").GetString());
        Assert.Equal("CONTAINS_TOKEN", filter.GetProperty("operator").GetString());
        Assert.Equal("fieldops" + OperationId, filter.GetProperty("value").GetString());
    }

    [Fact]
    public async Task CheckEffect_WhenNoNoteCarriesTheMarker_ReturnsNotApplied()
    {
        ArrangeSearch("""[{"id": "1", "properties": {"hs_note_body": "[ref fieldopsffffffffffffffffffffffffffffffff]"}}]""");
        var (result, _) = await _harness.Connector.CheckEffectAsync(Operations.Note("1834567890"), default);
        Assert.Equal(EffectCheck.NotApplied, result);
    }

    [Fact]
    public async Task CheckEffect_WhenTheSearchIsRefused_ReturnsUnknown()
    {
        _harness.Answer("POST", "notes/search", 400, """{"status": "error", "message": "Invalid filter", "category": "VALIDATION_ERROR"}""");
        var (result, _) = await _harness.Connector.CheckEffectAsync(Operations.Note("1834567890"), default);
        Assert.Equal(EffectCheck.Unknown, result);
    }

    [Fact]
    public async Task Note_WithAnUnknownAssociationType_ReturnsPermanentWithoutACall()
    {
        var operation = Operations.Create(OperationNames.Note, "notes", "k", """{"fields": {"hs_note_body": "x"}, "params": {"associations": [{"objectType": "invoices", "id": "1"}]}}""");
        var outcome = await _harness.Connector.DeliverAsync(operation, default);
        Assert.Equal(OutcomeKind.Permanent, outcome.Kind);
        Assert.Empty(_server.LogEntries);
    }

    [Fact]
    public async Task Note_LongerThanHubSpotTakes_ReturnsPermanentWithoutACall()
    {
        var text = new string('x', 65_536);
        var operation = Operations.Create(OperationNames.Note, "notes", "k", $$"""{"fields": {"hs_note_body": "{{text}}"}, "params": {"associations": []} }""");
        var outcome = await _harness.Connector.DeliverAsync(operation, default);
        Assert.Equal(OutcomeKind.Permanent, outcome.Kind);
        Assert.Equal(["hs_note_body"], outcome.Fields);
        Assert.Empty(_server.LogEntries);
    }

    private void ArrangeSearch(string results) =>
        _server.Given(Request.Create().WithPath($"{HubSpotHarness.ObjectsPath}/notes/search").UsingPost())
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json").WithBody($$"""{"total": 1, "results": {{results}}}"""));
}
