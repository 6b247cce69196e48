using System.Text;
using FieldOps.Connectors.BambooHR.Tests.Support;
using FieldOps.Integration.Core.Connectors;
using FieldOps.Integration.Testing.Credentials;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using static FieldOps.Connectors.BambooHR.Tests.Support.TestHttp;
using static FieldOps.Integration.Testing.VendorAnswers;
using FieldOps.Integration.Testing;

namespace FieldOps.Connectors.BambooHR.Tests;

public sealed class BambooHRHoursTests : IDisposable
{
    private const string RecordPath = "/api/v1/timetracking/record";
    private const string DirectoryPath = "/api/v1/employees/directory";
    private readonly WireMockServer _server = WireMockServer.Start();
    private BambooHRTestHost? _host;

    private BambooHRTestHost Host(IDictionary<string, string?>? extra = null) => _host ??= new BambooHRTestHost(_server.Url!, extra);

    [Fact]
    public void CanBatch_LogTimeOfOneConnection_UpToMaxBatchSize()
    {
        var connector = Host(new Dictionary<string, string?> { ["Connectors:BambooHR:MaxBatchSize"] = "40" }).Connector;
        var first = HourOperations.LogTime("JOB-1-T117-20250603");
        Assert.True(connector.CanBatch(first, HourOperations.LogTime("JOB-1-T118-20250603")));
        Assert.False(connector.CanBatch(first, HourOperations.LogTime("JOB-1-T118-20250603") with { Connection = "other" }));
        Assert.False(connector.CanBatch(first, HourOperations.LogTime("JOB-1-T118-20250603") with { Operation = OperationNames.Upsert }));
        Assert.Equal(40, connector.MaxBatchSize);
    }

    [Fact]
    public async Task LogTime_SendsOurTimeTrackingIdEmployeeAndDefaultRateTypeWithBasicAuth()
    {
        _server.Given(Request.Create().WithPath(RecordPath).UsingPost()).RespondWith(JsonReply(201, Results((true, "JOB-2024-0042-T117-20250603", null))));

        var outcome = await Host().Connector.DeliverAsync(HourOperations.LogTime(), CancellationToken.None);

        Assert.Equal(OutcomeKind.Delivered, outcome.Kind);
        var call = Assert.Single(_server.Calls("POST", RecordPath));
        var record = Assert.Single(call.JsonArrayBody())!.AsObject();
        Assert.Equal("JOB-2024-0042-T117-20250603", record["timeTrackingId"]!.GetValue<string>());
        Assert.Equal(117, record["employeeId"]!.GetValue<long>());
        Assert.Equal("REG", record["rateType"]!.GetValue<string>());
        Assert.Equal(7.5m, record["hoursWorked"]!.GetValue<decimal>());
        Assert.Equal("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(BambooHRTestHost.ApiKey + ":x")), call.Header("Authorization"));
    }

    [Fact]
    public async Task LogTime_WhenRetried_WritesTheSameRecordAgain()
    {
        _server.Given(Request.Create().WithPath(RecordPath).UsingPost()).RespondWith(JsonReply(201, Results((true, "x", null))));
        var key = "JOB-2024-0042-TECH-0117-2025-06-03-visit-2";

        await Host().Connector.DeliverAsync(HourOperations.LogTime(key), CancellationToken.None);
        await Host().Connector.DeliverAsync(HourOperations.LogTime(key) with { Attempt = 2 }, CancellationToken.None);

        var ids = _server.Calls("POST", RecordPath).Select(c => c.JsonArrayBody()[0]!["timeTrackingId"]!.GetValue<string>()).ToList();
        Assert.Equal(2, ids.Count);
        Assert.Equal(ids[0], ids[1]);
        Assert.True(ids[0].Length <= 36, ids[0]);
    }

    [Fact]
    public void TimeTrackingId_LongKeys_AreShortDeterministicAndDistinct()
    {
        var a = BambooHRTimeTrackingId.For("JOB-2024-0042-TECH-0117-2025-06-03-visit-1");
        var b = BambooHRTimeTrackingId.For("JOB-2024-0042-TECH-0117-2025-06-03-visit-2");

        Assert.Equal(36, a.Length);
        Assert.Equal(a, BambooHRTimeTrackingId.For("JOB-2024-0042-TECH-0117-2025-06-03-visit-1"));
        Assert.NotEqual(a, b);
        Assert.Equal("JOB-2024-0042-T117-20250603", BambooHRTimeTrackingId.For("JOB-2024-0042-T117-20250603"));
    }

    [Fact]
    public async Task LogTime_ByWorkEmail_ReadsTheDirectoryOnceForSeveralTechnicians()
    {
        _server.Given(Request.Create().WithPath(DirectoryPath).UsingGet()).RespondWith(JsonReply(200, """
            {"fields":[{"id":"displayName","type":"text","name":"Display name"},{"id":"workEmail","type":"email","name":"Work Email"}],
             "employees":[{"id":"205","displayName":"Ana Ruiz","workEmail":"ana@acmefield.com"},{"id":"206","displayName":"Bo Li","workEmail":"BO@acmefield.com"}]}
            """));
        _server.Given(Request.Create().WithPath(RecordPath).UsingPost()).RespondWith(JsonReply(201, Results((true, "x", null))));

        await Host().Connector.DeliverAsync(HourOperations.LogTime("K-1", "T-205", "ana@acmefield.com"), CancellationToken.None);
        await Host().Connector.DeliverAsync(HourOperations.LogTime("K-2", "T-206", "bo@acmefield.com"), CancellationToken.None);

        Assert.Single(_server.Calls("GET", DirectoryPath));
        var employees = _server.Calls("POST", RecordPath).Select(c => c.JsonArrayBody()[0]!["employeeId"]!.GetValue<long>()).ToList();
        Assert.Equal([205L, 206L], employees);
    }

    [Fact]
    public async Task LogTime_WhenDirectoryNotShared_FindsTheEmployeeInTheUserList()
    {
        _server.Given(Request.Create().WithPath(DirectoryPath).UsingGet()).RespondWith(Response.Create().WithStatusCode(403));
        _server.Given(Request.Create().WithPath("/api/v1/meta/users").UsingGet()).RespondWith(JsonReply(200, """
            {"7":{"id":7,"employeeId":0,"email":"admin@acmefield.com","status":"enabled"},
             "9":{"id":9,"employeeId":205,"email":"ana@acmefield.com","status":"enabled"}}
            """));
        _server.Given(Request.Create().WithPath(RecordPath).UsingPost()).RespondWith(JsonReply(201, Results((true, "x", null))));

        var outcome = await Host().Connector.DeliverAsync(HourOperations.LogTime("K-1", "T-205", "Ana@AcmeField.com"), CancellationToken.None);

        Assert.Equal(OutcomeKind.Delivered, outcome.Kind);
        Assert.Equal(205, Assert.Single(_server.Calls("POST", RecordPath)).JsonArrayBody()[0]!["employeeId"]!.GetValue<long>());
    }

    [Fact]
    public async Task LogTime_WhenNoEmployeeMatches_ReturnsPermanentNamingTechnicianAndEmail()
    {
        _server.Given(Request.Create().WithPath(DirectoryPath).UsingGet()).RespondWith(JsonReply(200, """{"fields":[],"employees":[]}"""));

        var outcome = await Host().Connector.DeliverAsync(HourOperations.LogTime("K-1", "17", "x@y"), CancellationToken.None);

        Assert.Equal(OutcomeKind.Permanent, outcome.Kind);
        Assert.Contains("no BambooHR employee matches technician 17 (email x@y)", outcome.Message, StringComparison.Ordinal);
        Assert.Empty(_server.Calls("POST", RecordPath));
    }

    [Fact]
    public async Task DeliverBatch_WithOneUnknownTechnician_SendsTheOthersAndRefusesIt()
    {
        _server.Given(Request.Create().WithPath(DirectoryPath).UsingGet()).RespondWith(JsonReply(200, """{"employees":[]}"""));
        _server.Given(Request.Create().WithPath(RecordPath).UsingPost()).RespondWith(JsonReply(201, Results((true, "K-1", null), (true, "K-3", null))));
        var batch = new[] { HourOperations.LogTime("K-1"), HourOperations.LogTime("K-2", "T-999", "nobody@acmefield.com"), HourOperations.LogTime("K-3") };

        var outcomes = await Host().Connector.DeliverBatchAsync(batch, CancellationToken.None);

        Assert.Equal([OutcomeKind.Delivered, OutcomeKind.Permanent, OutcomeKind.Delivered], outcomes.Select(o => o.Kind));
        Assert.Equal(2, Assert.Single(_server.Calls("POST", RecordPath)).JsonArrayBody().Count);
    }

    [Theory]
    [InlineData(503, "45", OutcomeKind.Throttled)]
    [InlineData(503, null, OutcomeKind.Transient)]
    [InlineData(429, null, OutcomeKind.Throttled)]
    [InlineData(401, null, OutcomeKind.ConnectionBroken)]
    [InlineData(403, null, OutcomeKind.ConnectionBroken)]
    [InlineData(409, null, OutcomeKind.Permanent)]
    [InlineData(504, null, OutcomeKind.Transient)]
    public async Task LogTime_ByStatus_IsClassified(int status, string? retryAfter, OutcomeKind expected)
    {
        var response = Response.Create().WithStatusCode(status).WithHeader("Content-Type", "application/json")
            .WithBody($$"""{"type":"about:blank","title":"t","status":{{status}},"detail":"d"}""");
        if (retryAfter is not null)
            response = response.WithHeader("Retry-After", retryAfter);
        _server.Given(Request.Create().WithPath(RecordPath).UsingPost()).RespondWith(response);

        var outcome = await Host().Connector.DeliverAsync(HourOperations.LogTime(), CancellationToken.None);

        Assert.Equal(expected, outcome.Kind);
        if (retryAfter is not null)
            Assert.Equal(TimeSpan.FromSeconds(45), outcome.RetryAfter);
        Assert.Equal(status, outcome.StatusCode);
    }

    [Fact]
    public async Task LogTime_OnOverRateLimitBodyInside200_ReturnsThrottled()
    {
        _server.Given(Request.Create().WithPath(RecordPath).UsingPost())
            .RespondWith(JsonReply(200, """{"error":{"code":429,"message":"Over rate limit, please try again in 60 seconds"}}"""));

        var outcome = await Host().Connector.DeliverAsync(HourOperations.LogTime(), CancellationToken.None);

        Assert.Equal(OutcomeKind.Throttled, outcome.Kind);
        Assert.Equal(TimeSpan.FromSeconds(60), outcome.RetryAfter);
    }

    [Fact]
    public async Task LogTime_OnTimesheetConflict_ReturnsPermanentWithBambooHRsText()
    {
        _server.Given(Request.Create().WithPath(RecordPath).UsingPost()).RespondWith(FromFixture("timesheet-conflict-409.json"));

        var outcome = await Host().Connector.DeliverAsync(HourOperations.LogTime(), CancellationToken.None);

        Assert.Equal(OutcomeKind.Permanent, outcome.Kind);
        Assert.Contains("Timesheet type conflict.", outcome.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LogTime_InOAuthMode_SendsTheStoresBearerToken()
    {
        _server.Given(Request.Create().WithPath(RecordPath).UsingPost()).RespondWith(JsonReply(201, Results((true, "x", null))));

        await Host(new Dictionary<string, string?> { ["Connectors:BambooHR:AuthMode"] = "OAuth" }).Connector
            .DeliverAsync(HourOperations.LogTime(), CancellationToken.None);

        Assert.Equal("Bearer " + FixedAccessTokenProvider.Token, Assert.Single(_server.Calls("POST", RecordPath)).Header("Authorization"));
    }

    public void Dispose()
    {
        _host?.Dispose();
        _server.Stop();
    }
}
