using System.Globalization;
using System.Text.Json;
using FieldOps.Integration.Core.Connectors;
using FieldOps.Integration.Testing.Stores;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace FieldOps.Connectors.Http.Tests;

/// <summary>Templates, configured status codes and the generic classification, against WireMock.</summary>
public sealed class HttpConnectorTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);
    private readonly TestStore _store = new();
    private readonly WireMockServer _server = WireMockServer.Start();
    private readonly FakeTimeProvider _time = new(Now);
    private ServiceProvider? _services;

    private IConnector Connector(Dictionary<string, string?> endpoint)
    {
        var settings = endpoint.ToDictionary(p => "Connectors:Http:Endpoints:erp:" + p.Key, p => p.Value);
        _services = HttpConnectorFactory.Build(_store, settings, _time);
        return _services.Connector();
    }

    private static OutboundOperation Operation(object fields) => new()
    {
        Id = "row 1",
        Connector = "http",
        Operation = OperationNames.Upsert,
        ObjectType = "job",
        IdempotencyKey = "job/42 a",
        PartitionKey = "erp:job:42",
        Payload = OperationPayload.From(JsonSerializer.SerializeToNode(new { fields, @params = new { endpoint = "erp" } })),
    };

    [Fact]
    public async Task Deliver_DefaultBody_SendsTheFieldsObjectAndEscapesTheUrl()
    {
        _server.Given(Request.Create().UsingPost()).RespondWith(Response.Create().WithStatusCode(201).WithBodyAsJson(new { data = new { id = 9 } }));
        var connector = Connector(new() { ["Url"] = _server.Url + "/jobs/{{idempotencyKey}}", ["TargetIdPath"] = "data.id" });

        var outcome = await connector.DeliverAsync(Operation(new { total = 59.97m, name = "Boiler" }), CancellationToken.None);

        var request = Assert.Single(_server.LogEntries).RequestMessage;
        Assert.Contains("/jobs/job%2F42", request.Url, StringComparison.Ordinal); // the slash inside the key stayed escaped
        Assert.Equal("{\"total\":59.97,\"name\":\"Boiler\"}", request.Body);
        Assert.Equal("9", outcome.TargetId);
    }

    [Fact]
    public async Task Deliver_BodyAndHeaderTemplates_FillTheOperationsValues()
    {
        _server.Given(Request.Create().UsingPut()).RespondWith(Response.Create().WithStatusCode(204));
        var connector = Connector(new()
        {
            ["Url"] = _server.Url + "/jobs",
            ["Method"] = "PUT",
            ["Body"] = "{\"ref\": {{idempotencyKey}}, \"customer\": {{fields.customer.name}}, \"all\": {{fields}}}",
            ["Headers:Idempotency-Key"] = "{{idempotencyKey}}",
            ["FallbackTargetId"] = "{{idempotencyKey}}",
        });

        var outcome = await connector.DeliverAsync(Operation(new { customer = new { name = "Ann \"A\"" } }), CancellationToken.None);

        var request = Assert.Single(_server.LogEntries).RequestMessage;
        Assert.Equal("job/42 a", request.Headers!["Idempotency-Key"].Single());
        using var body = JsonDocument.Parse(request.Body!);
        Assert.Equal("Ann \"A\"", body.RootElement.GetProperty("customer").GetString());
        Assert.Equal("job/42 a", body.RootElement.GetProperty("ref").GetString());
        Assert.Equal(OutcomeKind.Delivered, outcome.Kind);
        Assert.Equal("job/42 a", outcome.TargetId);
    }

    [Fact]
    public async Task Deliver_PlaceholderWithoutAValue_IsPermanentNamingIt()
    {
        var connector = Connector(new() { ["Url"] = _server.Url + "/jobs/{{fields.missing}}" });

        var outcome = await connector.DeliverAsync(Operation(new { }), CancellationToken.None);

        Assert.Equal(OutcomeKind.Permanent, outcome.Kind);
        Assert.Contains("fields.missing", outcome.Message, StringComparison.Ordinal);
        Assert.Empty(_server.LogEntries);
    }

    [Theory]
    [InlineData(503, null, OutcomeKind.Transient)]
    [InlineData(500, null, OutcomeKind.Transient)]
    [InlineData(408, null, OutcomeKind.Transient)]
    [InlineData(429, null, OutcomeKind.Transient)]
    [InlineData(503, "30", OutcomeKind.Throttled)]
    [InlineData(404, null, OutcomeKind.Permanent)]
    [InlineData(401, null, OutcomeKind.Permanent)]
    [InlineData(409, null, OutcomeKind.Transient)]
    [InlineData(302, null, OutcomeKind.Permanent)]
    public async Task Deliver_Status_IsClassifiedByTheGenericDefaults(int status, string? retryAfter, OutcomeKind expected)
    {
        var response = Response.Create().WithStatusCode(status).WithBody("nope");
        if (retryAfter is not null)
            response = response.WithHeader("Retry-After", retryAfter);
        _server.Given(Request.Create().UsingPost()).RespondWith(response);
        var connector = Connector(new() { ["Url"] = _server.Url + "/jobs", ["RetryStatusCodes:0"] = "409" });

        var outcome = await connector.DeliverAsync(Operation(new { }), CancellationToken.None);

        Assert.Equal(expected, outcome.Kind);
        Assert.Equal(status, outcome.StatusCode);
    }

    [Fact]
    public async Task Deliver_RetryAfterAsHttpDate_WaitsUntilThatMoment()
    {
        var at = Now.AddSeconds(90).ToString("r", CultureInfo.InvariantCulture);
        _server.Given(Request.Create().UsingPost()).RespondWith(Response.Create().WithStatusCode(429).WithHeader("Retry-After", at));
        var connector = Connector(new() { ["Url"] = _server.Url + "/jobs" });

        var outcome = await connector.DeliverAsync(Operation(new { }), CancellationToken.None);

        Assert.Equal(OutcomeKind.Throttled, outcome.Kind);
        Assert.Equal(TimeSpan.FromSeconds(90), outcome.RetryAfter);
    }

    [Fact]
    public async Task Deliver_ConfiguredSuccessCodes_OnlyThoseDeliver()
    {
        _server.Given(Request.Create().UsingPost()).RespondWith(Response.Create().WithStatusCode(200).WithBody("{\"status\":\"queued\"}"));
        var connector = Connector(new() { ["Url"] = _server.Url + "/jobs", ["SuccessStatusCodes:0"] = "201" });

        var outcome = await connector.DeliverAsync(Operation(new { }), CancellationToken.None);

        Assert.Equal(OutcomeKind.Permanent, outcome.Kind);
    }

    [Fact]
    public async Task Deliver_ErrorBodyWithSecrets_KeepsThemOutOfTheExcerpt()
    {
        _server.Given(Request.Create().UsingPost())
            .RespondWith(Response.Create().WithStatusCode(400).WithBody("{\"error\":\"bad\",\"access_token\":\"abc123\",\"echo\":\"Bearer xyz789\"}"));
        var connector = Connector(new() { ["Url"] = _server.Url + "/jobs" });

        var outcome = await connector.DeliverAsync(Operation(new { }), CancellationToken.None);

        Assert.DoesNotContain("abc123", outcome.ResponseExcerpt, StringComparison.Ordinal);
        Assert.DoesNotContain("xyz789", outcome.ResponseExcerpt, StringComparison.Ordinal);
        Assert.DoesNotContain("abc123", outcome.Message, StringComparison.Ordinal);
        Assert.Contains("bad", outcome.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deliver_UnknownEndpoint_IsPermanent()
    {
        var connector = Connector(new() { ["Url"] = _server.Url + "/jobs" });
        var operation = Operation(new { }) with
        {
            Payload = OperationPayload.From(JsonSerializer.SerializeToNode(new { fields = new { }, @params = new { endpoint = "nowhere" } })),
        };

        var outcome = await connector.DeliverAsync(operation, CancellationToken.None);

        Assert.Equal(OutcomeKind.Permanent, outcome.Kind);
        Assert.Contains("nowhere", outcome.Message, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        _services?.Dispose();
        _server.Stop();
        _server.Dispose();
        _store.Dispose();
    }
}
