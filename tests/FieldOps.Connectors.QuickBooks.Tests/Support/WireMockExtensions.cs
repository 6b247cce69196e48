using FieldOps.Integration.Testing;
using WireMock.ResponseBuilders;

namespace FieldOps.Connectors.QuickBooks.Tests.Support;

/// <summary>Answers from the shared fixtures.</summary>
internal static class WireMockExtensions
{
    public static IResponseBuilder FromFixture(string name)
    {
        var fixture = Fixture.Load(name);
        var response = Response.Create().WithStatusCode(fixture.ResponseStatus);
        foreach (var (header, value) in fixture.ResponseHeaders)
            response = response.WithHeader(header, value);
        return fixture.ResponseBody is { } body ? response.WithBody(body) : response;
    }

    public static IResponseBuilder JsonReply(int status, string body) =>
        Response.Create().WithStatusCode(status).WithHeader("Content-Type", "application/json").WithBody(body);
}
