using FieldOps.Integration.Core.Connectors;
using FieldOps.Integration.Testing;
using FieldOps.Integration.Testing.Vendors;

namespace FieldOps.Connectors.Jobber.Tests;

/// <summary>The connector contract for <c>create Request</c>, against a WireMock server answering like Jobber.</summary>
public sealed class JobberContractTests : ConnectorContractTests
{
    protected override IConnector CreateConnector() => JobberHarness.Create(Server);

    protected override OutboundOperation CreateOperation() =>
        JobberHarness.Operation("create", "Request", new { fields = new { clientId = "Z2lkOi8vSm9iYmVyL0NsaWVudC8x", title = "Leaking valve (HubSpot ticket 512)" } });

    protected override string ExpectedTargetId => "Z2lkOi8vSm9iYmVyL1JlcXVlc3QvOQ==";

    protected override void ArrangeDelivered() =>
        Server.Answer("RequestCreate", "{\"data\":{\"requestCreate\":{\"request\":{\"id\":\"" + ExpectedTargetId + "\"},\"userErrors\":[]}}," + JobberGraphQLStub.Cost + "}");

    protected override void ArrangeTransient() => Server.Answer("RequestCreate", """{"error":"bad gateway"}""", 502);

    protected override void ArrangeThrottled() =>
        Server.Answer("RequestCreate",
            """{"errors":[{"message":"Throttled","extensions":{"code":"THROTTLED"}}],"extensions":{"cost":{"requestedQueryCost":1000,"actualQueryCost":0,"throttleStatus":{"maximumAvailable":10000,"currentlyAvailable":0,"restoreRate":500}}}}""");

    // (1000 - 0) points at 500 a second.
    protected override TimeSpan ExpectedThrottleWait => TimeSpan.FromSeconds(2);

    protected override void ArrangeAuthExpired() => Server.Answer("RequestCreate", """{"message":"Unauthorized"}""", 401);

    protected override void ArrangePermanent() =>
        Server.Answer("RequestCreate", """{"data":{"requestCreate":{"request":null,"userErrors":[{"message":"Client not found","path":["input","clientId"]}]}}}""");

    protected override string ExpectedPermanentText => "Client not found";
}
