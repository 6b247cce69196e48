using FieldOps.Integration.Core.Connectors;
using FieldOps.Integration.Testing;

namespace FieldOps.Connectors.Salesforce.Tests;

/// <summary>The connector contract for closing a Case (update by id), the second kind of Salesforce call.</summary>
public sealed class SalesforceCaseContractTests : ConnectorContractTests
{
    private const string CaseId = "500Dn00000XyZ12IAB";
    private const string CasePath = "sobjects/Case/" + CaseId;
    private readonly SalesforceHarness _harness;

    public SalesforceCaseContractTests() => _harness = new SalesforceHarness(Server);

    protected override string ExpectedTargetId => CaseId;

    protected override TimeSpan ExpectedThrottleWait => TimeSpan.FromSeconds(20);

    protected override string ExpectedPermanentText => "bad value for restricted picklist field: Done";

    protected override IConnector CreateConnector() => _harness.Connector;

    protected override OutboundOperation CreateOperation() => Operations.CloseCase(CaseId);

    protected override void ArrangeDelivered() => _harness.Answer("PATCH", CasePath, "case-close.json");

    protected override void ArrangeTransient() => _harness.Answer("PATCH", CasePath, 503, null);

    // The concurrent-request variant of REQUEST_LIMIT_EXCEEDED holds for the short wait.
    protected override void ArrangeThrottled() => _harness.Answer("PATCH", CasePath, 403,
        """[{"message": "ConcurrentRequests (Concurrent API Requests) Limit exceeded.", "errorCode": "REQUEST_LIMIT_EXCEEDED"}]""");

    protected override void ArrangeAuthExpired() => _harness.Answer("PATCH", CasePath, "error-session-expired-401.json");

    protected override void ArrangePermanent() => _harness.Answer("PATCH", CasePath, 400,
        """[{"message": "bad value for restricted picklist field: Done", "errorCode": "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST", "fields": ["Status"]}]""");

    // No fixture: per-record statusCode errors as the fact sheet describes them (lock contention, limit).
    protected override void ArrangePartialBatch() => _harness.Answer("PATCH", "composite/sobjects/Case/FS_Job_Id__c", 200, """
        [
          {"success": false, "errors": [{"statusCode": "UNABLE_TO_LOCK_ROW", "message": "unable to obtain exclusive access to this record", "fields": []}]},
          {"id": "500Dn00000XyZ12IAB", "success": true, "errors": [], "created": true},
          {"success": false, "errors": [{"statusCode": "REQUEST_LIMIT_EXCEEDED", "message": "TotalRequests Limit exceeded.", "fields": []}]}
        ]
        """);

    protected override void Dispose(bool disposing)
    {
        if (disposing)
            _harness.Dispose();
        base.Dispose(disposing);
    }
}
