using System.Text.Json.Nodes;
using FieldOps.Connectors.BambooHR.Tests.Support;
using WireMock.RequestBuilders;
using WireMock.Server;
using static FieldOps.Connectors.BambooHR.Tests.Support.TestHttp;
using static FieldOps.Integration.Testing.VendorAnswers;
using FieldOps.Integration.Testing;

namespace FieldOps.Connectors.BambooHR.Tests.Spec;

/// <summary>The bulk Hours body the connector really sends, checked against BambooHR's OpenAPI request schema.</summary>
public sealed class RequestBodySpecTests : IDisposable
{
    private const string RecordPath = "/api/v1/timetracking/record";
    private readonly WireMockServer _server = WireMockServer.Start();

    [BambooHRSpecFact]
    public async Task RecordHoursBody_MatchesTheOpenApiSchema()
    {
        using var host = new BambooHRTestHost(_server.Url!);
        _server.Given(Request.Create().WithPath(RecordPath).UsingPost()).RespondWith(JsonReply(201, Results((true, "a", null), (true, "b", null))));

        await host.Connector.DeliverBatchAsync([HourOperations.LogTime("a"), HourOperations.LogTime("b", hours: 8m)], CancellationToken.None);

        var body = JsonNode.Parse(Assert.Single(_server.Calls("POST", RecordPath)).RequestMessage.Body!);
        var errors = OpenApiSchemaCheck.Check(body, BambooHRSpec.RequestSchema(RecordPath, "post"));
        Assert.True(errors.Count == 0, string.Join("\n", errors));
    }

    [BambooHRSpecFact]
    public void Check_MissingRequiredOrWrongType_IsReported()
    {
        var body = JsonNode.Parse("""[{"timeTrackingId": "a", "employeeId": "117", "dateHoursWorked": "2025-06-03", "hoursWorked": 7.5}]""");

        var errors = OpenApiSchemaCheck.Check(body, BambooHRSpec.RequestSchema(RecordPath, "post"));

        Assert.Contains(errors, e => e.Contains("'rateType' is missing", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("employeeId: expected integer", StringComparison.Ordinal));
    }

    public void Dispose() => _server.Stop();
}
