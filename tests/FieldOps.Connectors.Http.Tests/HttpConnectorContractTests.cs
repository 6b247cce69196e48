using System.Text.Json;
using FieldOps.Integration.Core.Connectors;
using FieldOps.Integration.Testing;
using FieldOps.Integration.Testing.Stores;
using Microsoft.Extensions.DependencyInjection;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace FieldOps.Connectors.Http.Tests;

/// <summary>The generic HTTP connector meets the connector contract with its default classification.</summary>
public sealed class HttpConnectorContractTests : ConnectorContractTests
{
    private readonly TestStore _store = new();
    private ServiceProvider? _services;

    protected override string ExpectedTargetId => "REC-77";

    protected override TimeSpan ExpectedThrottleWait => TimeSpan.FromSeconds(7);

    protected override string ExpectedPermanentText => "email is not valid";

    protected override IConnector CreateConnector()
    {
        Server.Given(Request.Create().WithPath("/oauth/token").UsingPost())
            .RespondWith(Response.Create().WithBodyAsJson(new { access_token = "tok", expires_in = 3600 }));
        _services = HttpConnectorFactory.Build(_store, new Dictionary<string, string?>
        {
            ["Connectors:Http:Endpoints:crm:Url"] = Server.Url + "/api/contacts/{{idempotencyKey}}",
            ["Connectors:Http:Endpoints:crm:Method"] = "PUT",
            ["Connectors:Http:Endpoints:crm:OAuth"] = "true",
            ["Connectors:Http:Connections:default:TokenUrl"] = Server.Url + "/oauth/token",
            ["Connectors:Http:Connections:default:ClientId"] = "fieldops",
        });
        return _services.Connector();
    }

    protected override OutboundOperation CreateOperation() => new()
    {
        Id = "row-1",
        Connector = "http",
        Operation = OperationNames.Upsert,
        ObjectType = "contact",
        IdempotencyKey = "fs-customer-42",
        PartitionKey = "http:contact:42",
        Payload = OperationPayload.From(JsonSerializer.SerializeToNode(new { fields = new { email = "a@example.com" }, @params = new { endpoint = "crm" } })),
    };

    private void Answer(IResponseBuilder response) =>
        Server.Given(Request.Create().WithPath("/api/contacts/fs-customer-42").UsingPut()).RespondWith(response);

    protected override void ArrangeDelivered() => Answer(Response.Create().WithStatusCode(200).WithBodyAsJson(new { id = "REC-77" }));

    protected override void ArrangeTransient() => Answer(Response.Create().WithStatusCode(502).WithBody("bad gateway"));

    protected override void ArrangeThrottled() => Answer(Response.Create().WithStatusCode(429).WithHeader("Retry-After", "7"));

    protected override void ArrangeAuthExpired() => Answer(Response.Create().WithStatusCode(401).WithBody("{\"error\":\"token expired\"}"));

    protected override void ArrangePermanent() =>
        Answer(Response.Create().WithStatusCode(400).WithBody("{\"error\":\"email is not valid\"}"));

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            _services?.Dispose();
            _store.Dispose();
        }
    }
}
