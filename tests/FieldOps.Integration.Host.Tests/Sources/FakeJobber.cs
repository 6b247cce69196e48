using System.Text.Json.Nodes;
using WireMock.Matchers;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace FieldOps.Integration.Host.Tests.Sources;

/// <summary>
/// Jobber's GraphQL API and token endpoint on a loopback WireMock.Net server. A record is served only to a request
/// carrying the bearer token from the token endpoint and the <c>X-JOBBER-GRAPHQL-VERSION</c> header.
/// </summary>
public sealed class FakeJobber : IDisposable
{
    public const string ApiVersion = "2025-04-16";
    public const string AccessToken = "jobber-access-token-1";

    public FakeJobber()
    {
        Server = WireMockServer.Start();
        Server.Given(Request.Create().WithPath("/oauth/token").UsingPost())
            .RespondWith(Response.Create().WithHeader("Content-Type", "application/json")
                .WithBody($$"""{"access_token":"{{AccessToken}}","refresh_token":"jobber-refresh-token-2","expires_in":3600}"""));
    }

    public WireMockServer Server { get; }

    public Uri BaseUrl => new(Server.Url! + "/");

    /// <summary>Serves <paramref name="record"/> for queries naming <paramref name="id"/>.</summary>
    public void Serve(string field, string id, JsonObject record, int priority = 10) =>
        Server.Given(GraphQL(id)).AtPriority(priority)
            .RespondWith(Response.Create().WithHeader("Content-Type", "application/json").WithBody(Answer(field, record)));

    /// <summary>Serves <paramref name="record"/> for queries naming <paramref name="id"/>, running <paramref name="beforeFirstAnswer"/> once, before the first answer leaves.</summary>
    public void ServeAfter(string field, string id, JsonObject record, Action beforeFirstAnswer)
    {
        var ran = 0;
        var body = Answer(field, record);
        Server.Given(GraphQL(id)).AtPriority(1).RespondWith(Response.Create().WithCallback(_ =>
        {
            if (Interlocked.Exchange(ref ran, 1) == 0)
                beforeFirstAnswer();
            return new WireMock.ResponseMessage
            {
                StatusCode = 200,
                Headers = new Dictionary<string, WireMock.Types.WireMockList<string>> { ["Content-Type"] = new("application/json") },
                BodyData = new WireMock.Util.BodyData { BodyAsString = body, DetectedBodyType = WireMock.Types.BodyType.String },
            };
        }));
    }

    /// <summary>Answers queries naming <paramref name="id"/> with <paramref name="status"/> and a short error body.</summary>
    public void Fail(string id, int status, int priority = 10) =>
        Server.Given(GraphQL(id)).AtPriority(priority)
            .RespondWith(Response.Create().WithStatusCode(status).WithHeader("Content-Type", "application/json").WithBody("""{"message":"Internal Server Error"}"""));

    /// <summary>The first query for <paramref name="id"/> is THROTTLED (needing one second of refill), later ones get the record.</summary>
    public void ServeAfterThrottle(string field, string id, JsonObject record)
    {
        const string throttled = """
            {"errors":[{"message":"Throttled","extensions":{"code":"THROTTLED"}}],
             "extensions":{"cost":{"requestedQueryCost":900,"actualQueryCost":0,"throttleStatus":{"maximumAvailable":10000,"currentlyAvailable":400,"restoreRate":500}}}}
            """;
        Server.Given(GraphQL(id)).InScenario("throttle").WillSetStateTo("refilled")
            .RespondWith(Response.Create().WithHeader("Content-Type", "application/json").WithBody(throttled));
        Server.Given(GraphQL(id)).InScenario("throttle").WhenStateIs("refilled")
            .RespondWith(Response.Create().WithHeader("Content-Type", "application/json").WithBody(Answer(field, record)));
    }

    /// <summary>GraphQL requests received so far.</summary>
    public int GraphQLCalls => Server.LogEntries.Count(e => e.RequestMessage.Path == "/graphql");

    /// <summary>Configuration pointing the <c>jobber</c> source at this server, with the shipped mappings.</summary>
    public Dictionary<string, string?> Settings(string keysDirectory) => new()
    {
        ["Sources:jobber:WebhookOnly"] = "false",
        ["Sources:jobber:ApiBaseUrl"] = BaseUrl.AbsoluteUri,
        ["Sources:jobber:ClientId"] = "jobber-client-id",
        ["Sources:jobber:RefreshToken"] = "jobber-refresh-token-1",
        ["Sources:jobber:ApiVersion"] = ApiVersion,
        ["Mappings:Path"] = RepositoryPaths.Mappings,
        ["Credentials:KeysDirectory"] = keysDirectory,
        ["Hydration:Debounce"] = "00:00:00.300",
        ["Hydration:RetryDelay"] = "00:00:00.200",
    };

    public void Dispose() => Server.Stop();

    private static IRequestBuilder GraphQL(string id) =>
        Request.Create().WithPath("/graphql").UsingPost()
            .WithHeader("X-JOBBER-GRAPHQL-VERSION", ApiVersion)
            .WithHeader("Authorization", $"Bearer {AccessToken}")
            .WithBody(new WildcardMatcher($"*\"id\":\"{id}\"*"));

    private static string Answer(string field, JsonObject record) => new JsonObject
    {
        ["data"] = new JsonObject { [field] = record.DeepClone() },
        ["extensions"] = JsonNode.Parse(
            """{"cost":{"requestedQueryCost":48,"actualQueryCost":20,"throttleStatus":{"maximumAvailable":10000,"currentlyAvailable":9980,"restoreRate":500}},"versioning":{"version":"2025-04-16"}}"""),
    }.ToJsonString();
}
