using FieldOps.Integration.Core.Connectors;
using FieldOps.Integration.Testing;

namespace FieldOps.Connectors.HubSpot.Tests;

/// <summary>The connector contract for a HubSpot contact upsert by email (OAuth), against WireMock answering like the fixtures.</summary>
public sealed class HubSpotContactContractTests : ConnectorContractTests
{
    private readonly HubSpotHarness _harness;

    public HubSpotContactContractTests() => _harness = new HubSpotHarness(Server, oauth: true);

    protected override string ExpectedTargetId => "5101";

    protected override TimeSpan ExpectedThrottleWait => TimeSpan.FromSeconds(10);

    protected override string ExpectedPermanentText => "Property \"fs_loyalty_points\" does not exist";

    protected override IReadOnlyList<OutcomeKind> ExpectedBatchOutcomes => [OutcomeKind.Delivered, OutcomeKind.Permanent, OutcomeKind.Delivered];

    protected override IConnector CreateConnector() => _harness.Connector;

    protected override OutboundOperation CreateOperation() => Operations.UpsertContact("dana.lee@harborviewdental.com", "Dana", "CUST-1001");

    protected override void ArrangeDelivered() => _harness.Answer("POST", "contacts/batch/upsert", "batch-upsert-contacts-by-email.json");

    // No fixture: 423 Locked on concurrent writes is transient (fact sheet §2.6).
    protected override void ArrangeTransient() => _harness.Answer("POST", "contacts/batch/upsert", 423,
        """{"status": "error", "message": "Object is locked by a concurrent write", "correlationId": "1f0e", "category": "LOCKED"}""");

    protected override void ArrangeThrottled() => _harness.Answer("POST", "contacts/batch/upsert", "rate-limit-429.json");

    protected override void ArrangeAuthExpired() => _harness.Answer("POST", "contacts/batch/upsert", "auth-expired-401.json");

    protected override void ArrangePermanent() => _harness.Answer("POST", "contacts/batch/upsert", "validation-error-400.json");

    protected override IReadOnlyList<OutboundOperation> CreateBatch() =>
    [
        Operations.UpsertContact("dana.lee@harborviewdental.com", "Dana", "CUST-1001"),
        Operations.UpsertContact("not-an-email", "Bad", "CUST-1004"),
        Operations.UpsertContact("ops@missionbakery.com", "Rafael", "CUST-1002"),
    ];

    // No fixture (batch-upsert-companies-207-partial.json was left out): a 207 with results and one error naming its input.
    protected override void ArrangePartialBatch() => _harness.Answer("POST", "contacts/batch/upsert", 207, """
        {
          "status": "COMPLETE",
          "results": [
            {"id": "5377", "new": true, "properties": {"email": "ops@missionbakery.com", "hs_object_id": "5377"}},
            {"id": "5101", "new": false, "properties": {"email": "dana.lee@harborviewdental.com", "hs_object_id": "5101"}}
          ],
          "numErrors": 1,
          "errors": [
            {"status": "error", "category": "VALIDATION_ERROR", "message": "Property values were not valid",
             "errors": [{"message": "Email address not-an-email is invalid", "code": "INVALID_EMAIL", "context": {"propertyName": ["email"]}}],
             "context": {"ids": ["not-an-email"]}}
          ],
          "requestedAt": "2025-06-03T16:20:11.402Z", "startedAt": "2025-06-03T16:20:11.415Z", "completedAt": "2025-06-03T16:20:11.702Z"
        }
        """);

    protected override void Dispose(bool disposing)
    {
        if (disposing)
            _harness.Dispose();
        base.Dispose(disposing);
    }
}
