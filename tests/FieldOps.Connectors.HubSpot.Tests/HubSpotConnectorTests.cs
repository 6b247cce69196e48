using System.Text.Json;
using FieldOps.Integration.Core.Connectors;
using Microsoft.Extensions.Time.Testing;
using WireMock.Server;

namespace FieldOps.Connectors.HubSpot.Tests;

/// <summary>Every HubSpot behaviour of the fact sheet beyond the contract, against WireMock (private-app token unless said).</summary>
public sealed class HubSpotConnectorTests : IDisposable
{
    private readonly WireMockServer _server = WireMockServer.Start();
    private readonly HubSpotHarness _harness;

    public HubSpotConnectorTests() => _harness = new HubSpotHarness(_server);

    public void Dispose()
    {
        _harness.Dispose();
        _server.Stop();
    }

    [Fact]
    public void CanBatch_UpsertsOfOneObjectTypeAndIdPropertyWithDifferentKeys_NothingElse()
    {
        var connector = _harness.Connector;
        var first = Operations.UpsertContact("dana.lee@harborviewdental.com", "Dana", "CUST-1001");
        Assert.True(connector.CanBatch(first, Operations.UpsertContact("sam.ortega@example.com", "Sam", "CUST-1002")));
        // HubSpot keys e-mail case-insensitively: one batch must not carry the same contact twice.
        Assert.False(connector.CanBatch(first, Operations.UpsertContact("Dana.Lee@HarborViewDental.com", "Dana", "CUST-1001")));
        Assert.False(connector.CanBatch(first, Operations.UpsertTicket("JOB-2024-0042")));
        Assert.False(connector.CanBatch(Operations.UpsertTicket("JOB-2024-0041"), Operations.CloseTicket("JOB-2024-0042")));
        Assert.False(connector.CanBatch(Operations.Note("1"), Operations.Note("2")));
        Assert.Equal(100, connector.MaxBatchSize);
    }

    [Fact]
    public async Task Upsert_SendsOneInputKeyedByTheUniquePropertyWithTheOperationAsTraceId()
    {
        _harness.Answer("POST", "contacts/batch/upsert", "batch-upsert-contacts-by-email.json");
        var operation = Operations.UpsertContact("ops@missionbakery.com", "Rafael", "CUST-1002");
        var outcome = await _harness.Connector.DeliverAsync(operation, default);
        Assert.Equal("5377", outcome.TargetId);
        Assert.Equal("contacts", outcome.TargetType);
        var request = Assert.Single(_server.LogEntries).RequestMessage;
        Assert.Equal("Bearer " + HubSpotHarness.PrivateAppToken, request.Headers!["Authorization"].Single());
        using var body = JsonDocument.Parse(request.Body!);
        var input = Assert.Single(body.RootElement.GetProperty("inputs").EnumerateArray());
        Assert.Equal("ops@missionbakery.com", input.GetProperty("id").GetString());
        Assert.Equal("email", input.GetProperty("idProperty").GetString());
        Assert.Equal(operation.Id, input.GetProperty("objectWriteTraceId").GetString());
        Assert.Equal("CUST-1002", input.GetProperty("properties").GetProperty("fs_customer_id").GetString());
    }

    [Fact]
    public async Task UpsertTicket_WithoutAStage_CreatesItInTheConfiguredPipelineAndOpenStage()
    {
        _harness.Answer("POST", "tickets/batch/upsert", 200, """{"status": "COMPLETE", "results": [{"id": "1834567890", "properties": {"fs_job_id": "JOB-2024-0042"}}]}""");
        var outcome = await _harness.Connector.DeliverAsync(Operations.UpsertTicket("JOB-2024-0042"), default);
        Assert.Equal("1834567890", outcome.TargetId);
        using var body = JsonDocument.Parse(Assert.Single(_server.LogEntries).RequestMessage.Body!);
        var properties = body.RootElement.GetProperty("inputs")[0].GetProperty("properties");
        Assert.Equal("0", properties.GetProperty("hs_pipeline").GetString());
        Assert.Equal("1", properties.GetProperty("hs_pipeline_stage").GetString());
        Assert.Equal("fs_job_id", body.RootElement.GetProperty("inputs")[0].GetProperty("idProperty").GetString());
    }

    [Fact]
    public async Task CloseTicket_PatchesByFsJobIdWithTheConfiguredClosedStage()
    {
        using var server = WireMockServer.Start();
        using var harness = new HubSpotHarness(server, new Dictionary<string, string?>
        {
            ["Connectors:HubSpot:TicketPipelineId"] = "7", ["Connectors:HubSpot:ClosedStageId"] = "99",
        });
        harness.Answer("PATCH", "tickets/JOB-2024-0042", "ticket-close.json");
        var outcome = await harness.Connector.DeliverAsync(Operations.CloseTicket("JOB-2024-0042"), default);
        Assert.Equal(OutcomeKind.Delivered, outcome.Kind);
        var request = Assert.Single(server.LogEntries).RequestMessage;
        Assert.Equal("fs_job_id", request.Query!["idProperty"].Single());
        using var body = JsonDocument.Parse(request.Body!);
        Assert.Equal("99", body.RootElement.GetProperty("properties").GetProperty("hs_pipeline_stage").GetString());
        Assert.Equal("7", body.RootElement.GetProperty("properties").GetProperty("hs_pipeline").GetString());
    }

    [Fact]
    public async Task Deliver_On409ExistingId_ResolvesToThatId()
    {
        _harness.Answer("POST", "contacts/batch/upsert", 409,
            """{"status": "error", "message": "Contact already exists. Existing ID: 5101", "correlationId": "77aa", "category": "CONFLICT"}""");
        var outcome = await _harness.Connector.DeliverAsync(Operations.UpsertContact("dana.lee@harborviewdental.com", "Dana", "CUST-1001"), default);
        Assert.Equal(OutcomeKind.Delivered, outcome.Kind);
        Assert.Equal("5101", outcome.TargetId);
    }

    [Fact]
    public async Task Deliver_On409WithoutAnId_ReturnsConflict()
    {
        _harness.Answer("PATCH", "tickets/JOB-2024-0042", 409, """{"status": "error", "message": "Conflict", "category": "CONFLICT"}""");
        var outcome = await _harness.Connector.DeliverAsync(Operations.CloseTicket("JOB-2024-0042"), default);
        Assert.Equal(OutcomeKind.Conflict, outcome.Kind);
    }

    [Fact]
    public async Task Deliver_WithARevokedPrivateAppToken_ReturnsConnectionBroken_NotAuthExpired()
    {
        _harness.Answer("POST", "contacts/batch/upsert", "auth-invalid-401.json");
        var outcome = await _harness.Connector.DeliverAsync(Operations.UpsertContact("a@b.example", "A", "CUST-1"), default);
        Assert.Equal(OutcomeKind.ConnectionBroken, outcome.Kind);
        Assert.Contains("INVALID_AUTHENTICATION", outcome.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deliver_OnMissingScope403_ReturnsConnectionBroken()
    {
        _harness.Answer("PATCH", "tickets/JOB-1", 403,
            """{"status": "error", "message": "This app hasn't been granted all required scopes to make this call.", "category": "MISSING_SCOPES"}""");
        var outcome = await _harness.Connector.DeliverAsync(Operations.CloseTicket("JOB-1"), default);
        Assert.Equal(OutcomeKind.ConnectionBroken, outcome.Kind);
    }

    [Fact]
    public async Task Deliver_OnSecondly429_HoldsForTheBurstWait()
    {
        _harness.Answer("PATCH", "tickets/JOB-1", 429,
            """{"status": "error", "message": "You have reached your secondly limit.", "errorType": "RATE_LIMIT", "policyName": "SECONDLY"}""");
        var outcome = await _harness.Connector.DeliverAsync(Operations.CloseTicket("JOB-1"), default);
        Assert.Equal(OutcomeKind.Throttled, outcome.Kind);
        Assert.Equal(TimeSpan.FromSeconds(10), outcome.RetryAfter);
    }

    [Fact]
    public async Task Deliver_OnDaily429_SaysItHoldsUntilTheAccountsMidnight()
    {
        using var server = WireMockServer.Start();
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 7, 1, 2, 30, 0, TimeSpan.Zero));
        using var harness = new HubSpotHarness(server, new Dictionary<string, string?> { ["Connectors:HubSpot:AccountTimeZone"] = "Europe/Berlin" }, time: time);
        harness.Answer("PATCH", "tickets/JOB-1", 429, """{"status": "error", "message": "You have reached your daily limit.", "policyName": "DAILY"}""");
        var outcome = await harness.Connector.DeliverAsync(Operations.CloseTicket("JOB-1"), default);
        // 02:30Z is 04:30 in Berlin (CEST, +02:00); midnight there is 22:00Z the same day.
        Assert.Equal(TimeSpan.FromHours(19.5), outcome.RetryAfter);
        Assert.Contains("until 2026-07-02 00:00 +02:00", outcome.Message, StringComparison.Ordinal);
        Assert.Contains("Europe/Berlin", outcome.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deliver_ReadsTheRateLimitHeaders()
    {
        _harness.Answer("POST", "contacts/batch/upsert", "batch-upsert-contacts-by-email.json");
        await _harness.Connector.DeliverAsync(Operations.UpsertContact("ops@missionbakery.com", "Rafael", "CUST-1002"), default);
        var limits = (HubSpotRateLimits)_harness.Services.GetService(typeof(HubSpotRateLimits))!;
        Assert.Equal(187, limits.Remaining);
        Assert.Equal(190, limits.Max);
        Assert.Equal(TimeSpan.FromSeconds(10), limits.Interval);
    }

    [Fact]
    public async Task Deliver_WhenTheCallTimesOut_ReturnsTransient()
    {
        using var server = WireMockServer.Start();
        using var harness = new HubSpotHarness(server, new Dictionary<string, string?> { ["Connectors:HubSpot:Timeout"] = "00:00:00.300" });
        server.Given(WireMock.RequestBuilders.Request.Create().UsingAnyMethod())
            .RespondWith(WireMock.ResponseBuilders.Response.Create().WithStatusCode(200).WithDelay(TimeSpan.FromSeconds(2)));
        var outcome = await harness.Connector.DeliverAsync(Operations.CloseTicket("JOB-1"), default);
        Assert.Equal(OutcomeKind.Transient, outcome.Kind);
    }

    [Fact]
    public async Task Deliver_UnknownStage_ReturnsPermanentWithoutACall()
    {
        var operation = Operations.Create(OperationNames.Update, "tickets", "JOB-1", """{"params": {"idProperty": "fs_job_id", "stage": "archived"}}""");
        var outcome = await _harness.Connector.DeliverAsync(operation, default);
        Assert.Equal(OutcomeKind.Permanent, outcome.Kind);
        Assert.Empty(_server.LogEntries);
    }
}
