using System.Text.Json.Nodes;
using WireMock;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using WireMock.Types;
using WireMock.Util;

namespace FieldOps.Integration.Testing.Vendors;

/// <summary>
/// BambooHR's bulk Hours endpoint (<c>POST /api/v1/timetracking/record</c>) on WireMock, answering as target-apis.md 4.3
/// describes: 201 with one <c>{success, response:{id, message}}</c> item per record sent, in request order, each naming
/// the record's <c>timeTrackingId</c> — however many records one call carries.
/// </summary>
public static class FakeBambooHRHours
{
    public const string Path = "/api/v1/timetracking/record";

    public static void Register(WireMockServer server)
    {
        ArgumentNullException.ThrowIfNull(server);
        server.Given(Request.Create().WithPath(Path).UsingPost()).RespondWith(Response.Create().WithCallback(Answer));
    }

    private static ResponseMessage Answer(IRequestMessage request)
    {
        var items = new JsonArray();
        foreach (var record in JsonNode.Parse(request.Body!)!.AsArray())
        {
            items.Add(new JsonObject
            {
                ["success"] = true,
                ["response"] = new JsonObject { ["id"] = record!["timeTrackingId"]!.GetValue<string>(), ["message"] = null },
            });
        }
        return new ResponseMessage
        {
            StatusCode = 201,
            Headers = new Dictionary<string, WireMockList<string>> { ["Content-Type"] = new("application/json") },
            BodyData = new BodyData { BodyAsString = items.ToJsonString(), DetectedBodyType = BodyType.String },
        };
    }
}
