using FieldOps.Connectors.BambooHR.Tests.Support;
using FieldOps.Integration.Core.Connectors;
using FieldOps.Integration.Testing;
using WireMock.RequestBuilders;
using static FieldOps.Connectors.BambooHR.Tests.Support.TestHttp;
using static FieldOps.Integration.Testing.VendorAnswers;

namespace FieldOps.Connectors.BambooHR.Tests;

/// <summary>The connector contract (OAuth mode, so an expired token is auth-expired) against WireMock answering like the fixtures.</summary>
public sealed class BambooHRContractTests : ConnectorContractTests
{
    private const string RecordPath = "/api/v1/timetracking/record";
    private BambooHRTestHost? _host;

    protected override IConnector CreateConnector() =>
        (_host ??= new BambooHRTestHost(Server.Url!, new Dictionary<string, string?> { ["Connectors:BambooHR:AuthMode"] = "OAuth" })).Connector;

    protected override OutboundOperation CreateOperation() => HourOperations.LogTime();

    protected override string ExpectedTargetId => "JOB-2024-0042-T117-20250603";

    protected override TimeSpan ExpectedThrottleWait => TimeSpan.FromSeconds(30);

    protected override string ExpectedPermanentText => "Hours must be greater than 0.";

    protected override void ArrangeDelivered() =>
        Server.Given(Request.Create().WithPath(RecordPath).UsingPost()).RespondWith(JsonReply(201, Results((true, ExpectedTargetId, null))));

    protected override void ArrangeTransient() =>
        Server.Given(Request.Create().WithPath(RecordPath).UsingPost()).RespondWith(JsonReply(500, """{"title":"Internal Server Error","status":500}"""));

    protected override void ArrangeThrottled() =>
        Server.Given(Request.Create().WithPath(RecordPath).UsingPost()).RespondWith(FromFixture("rate-limit-429.json"));

    protected override void ArrangeAuthExpired() =>
        Server.Given(Request.Create().WithPath(RecordPath).UsingPost()).RespondWith(FromFixture("auth-401.json"));

    protected override void ArrangePermanent() =>
        Server.Given(Request.Create().WithPath(RecordPath).UsingPost()).RespondWith(FromFixture("error-400-problem-details.json"));

    protected override IReadOnlyList<OutboundOperation> CreateBatch() =>
    [
        HourOperations.LogTime("JOB-1-T117-20250603"),
        HourOperations.LogTime("JOB-2-T117-20250603"),
        HourOperations.LogTime("JOB-3-T117-20250603"),
    ];

    protected override void ArrangePartialBatch() =>
        Server.Given(Request.Create().WithPath(RecordPath).UsingPost()).RespondWith(JsonReply(201, Results(
            (true, "JOB-1-T117-20250603", null),
            (false, null, "Employee 117 has no pay schedule for 2025-06-03."),
            (true, "JOB-3-T117-20250603", null))));

    protected override IReadOnlyList<OutcomeKind> ExpectedBatchOutcomes => [OutcomeKind.Delivered, OutcomeKind.Permanent, OutcomeKind.Delivered];

    protected override void Dispose(bool disposing)
    {
        if (disposing)
            _host?.Dispose();
        base.Dispose(disposing);
    }
}
