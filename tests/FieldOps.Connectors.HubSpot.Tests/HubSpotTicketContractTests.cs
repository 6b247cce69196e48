using FieldOps.Integration.Core.Connectors;
using FieldOps.Integration.Testing;
using Microsoft.Extensions.Time.Testing;

namespace FieldOps.Connectors.HubSpot.Tests;

/// <summary>The connector contract for moving a ticket to the closed stage, including the DAILY limit's hold until the account's midnight.</summary>
public sealed class HubSpotTicketContractTests : ConnectorContractTests
{
    private const string TicketPath = "tickets/JOB-2024-0042";
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 26, 18, 0, 0, TimeSpan.Zero));
    private readonly HubSpotHarness _harness;

    public HubSpotTicketContractTests() =>
        _harness = new HubSpotHarness(Server, new Dictionary<string, string?> { ["Connectors:HubSpot:AccountTimeZone"] = "America/New_York" }, oauth: true, time: _time);

    protected override string ExpectedTargetId => "1834567890";

    // 18:00Z is 13:00 in New York (EST, -05:00): midnight there is 05:00Z next day, 11 hours on.
    protected override TimeSpan ExpectedThrottleWait => TimeSpan.FromHours(11);

    protected override string ExpectedPermanentText => "hs_pipeline_stage";

    protected override IReadOnlyList<OutcomeKind> ExpectedBatchOutcomes => [OutcomeKind.Permanent, OutcomeKind.Delivered];

    protected override IConnector CreateConnector() => _harness.Connector;

    protected override OutboundOperation CreateOperation() => Operations.CloseTicket("JOB-2024-0042");

    protected override void ArrangeDelivered() => _harness.Answer("PATCH", TicketPath, "ticket-close.json");

    protected override void ArrangeTransient() => _harness.Answer("PATCH", TicketPath, 502, """{"status": "error", "message": "Bad Gateway"}""");

    // No fixture (rate-limit-daily-429.json was left out): the 429 body with policyName DAILY, as the fact sheet quotes it.
    protected override void ArrangeThrottled() => _harness.Answer("PATCH", TicketPath, 429,
        """{"status": "error", "message": "You have reached your daily limit.", "errorType": "RATE_LIMIT", "correlationId": "c0ffee", "policyName": "DAILY", "requestId": "r1"}""");

    protected override void ArrangeAuthExpired() => _harness.Answer("PATCH", TicketPath, "auth-expired-401.json");

    protected override void ArrangePermanent() => _harness.Answer("PATCH", TicketPath, 400,
        """{"status": "error", "message": "Property values were not valid", "correlationId": "9a1b", "category": "VALIDATION_ERROR", "errors": [{"message": "4 is not a valid pipeline stage for pipeline 7", "code": "INVALID_OPTION", "context": {"propertyName": ["hs_pipeline_stage"]}}]}""");

    protected override IReadOnlyList<OutboundOperation> CreateBatch() => [Operations.UpsertTicket("JOB-2024-0041"), Operations.UpsertTicket("JOB-2024-0042")];

    // A 207 whose error names no input: tied to the one input left once the result is matched by fs_job_id.
    protected override void ArrangePartialBatch() => _harness.Answer("POST", "tickets/batch/upsert", 207, """
        {"status": "COMPLETE",
         "results": [{"id": "1834567890", "properties": {"fs_job_id": "JOB-2024-0042", "hs_object_id": "1834567890"}}],
         "numErrors": 1,
         "errors": [{"status": "error", "category": "VALIDATION_ERROR", "message": "Property values were not valid: subject is too long"}]}
        """);

    protected override void Dispose(bool disposing)
    {
        if (disposing)
            _harness.Dispose();
        base.Dispose(disposing);
    }
}
