using WireMock.Matchers;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace FieldOps.Integration.Testing.Vendors;

/// <summary>Arranges Jobber's GraphQL answers by operation name, and counts what was posted.</summary>
public static class JobberGraphQLStub
{
    public const string Cost = "\"extensions\":{\"cost\":{\"requestedQueryCost\":12,\"actualQueryCost\":12,\"throttleStatus\":{\"maximumAvailable\":10000,\"currentlyAvailable\":9988,\"restoreRate\":500}}}";

    public static IRequestBuilder Named(string operationName) =>
        Request.Create().WithPath("/api/graphql").UsingPost().WithBody(new WildcardMatcher($"*{operationName}(*"));

    public static void Answer(this WireMockServer server, string operationName, string json, int status = 200, TimeSpan? delay = null)
    {
        var response = Response.Create().WithStatusCode(status).WithHeader("Content-Type", "application/json").WithBody(json);
        if (delay is { } d)
            response = response.WithDelay(d);
        server.Given(Named(operationName)).RespondWith(response);
    }

    public static int Posted(this WireMockServer server, string operationName) =>
        server.LogEntries.Count(e => e.RequestMessage.Body?.Contains($"{operationName}(", StringComparison.Ordinal) == true);
}
