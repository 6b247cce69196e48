using FieldOps.Integration.Core.Connectors;
using FieldOps.Integration.Testing;

namespace FieldOps.Connectors.Salesforce.Tests;

/// <summary>The connector contract for a Salesforce Account upsert by external id, against WireMock answering like the fixtures.</summary>
public sealed class SalesforceUpsertContractTests : ConnectorContractTests
{
    private const string AccountPath = "sobjects/Account/FS_Customer_Id__c/CUST-1001";
    private readonly SalesforceHarness _harness;

    public SalesforceUpsertContractTests() => _harness = new SalesforceHarness(Server);

    protected override string ExpectedTargetId => "001Dn00000AbCdEIAV";

    protected override TimeSpan ExpectedThrottleWait => TimeSpan.FromMinutes(15);

    protected override string ExpectedPermanentText => "Required fields are missing: [Name]";

    protected override IConnector CreateConnector() => _harness.Connector;

    protected override OutboundOperation CreateOperation() => Operations.Upsert("CUST-1001", """{"Name": "Harbor View Dental"}""");

    protected override void ArrangeDelivered() => _harness.Answer("PATCH", AccountPath, "upsert-account-created.json");

    // No fixture: the fact sheet's transient Salesforce code, a 400 UNABLE_TO_LOCK_ROW.
    protected override void ArrangeTransient() => _harness.Answer("PATCH", AccountPath, 400,
        """[{"message": "unable to obtain exclusive access to this record or 1 records: 001Dn00000AbCdEIAV", "errorCode": "UNABLE_TO_LOCK_ROW", "fields": []}]""");

    protected override void ArrangeThrottled() => _harness.Answer("PATCH", AccountPath, "error-request-limit-exceeded-403.json");

    protected override void ArrangeAuthExpired() => _harness.Answer("PATCH", AccountPath, "error-session-expired-401.json");

    protected override void ArrangePermanent() => _harness.Answer("PATCH", AccountPath, "error-required-field-missing.json");

    protected override void ArrangePartialBatch() =>
        _harness.Answer("PATCH", "composite/sobjects/Account/FS_Customer_Id__c", "composite-sobjects-upsert-partial.json");

    protected override void Dispose(bool disposing)
    {
        if (disposing)
            _harness.Dispose();
        base.Dispose(disposing);
    }
}
