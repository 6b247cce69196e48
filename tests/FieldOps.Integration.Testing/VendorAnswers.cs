using WireMock.ResponseBuilders;

namespace FieldOps.Integration.Testing;

/// <summary>WireMock answers the vendor stand-ins give: a recorded fixture, or a JSON body written in the test.</summary>
public static class VendorAnswers
{
    /// <summary>The response of <c>Fixtures/{name}</c> (status, headers, body).</summary>
    public static IResponseBuilder FromFixture(string name)
    {
        var fixture = Fixture.Load(name);
        var response = Response.Create().WithStatusCode(fixture.ResponseStatus);
        foreach (var (header, value) in fixture.ResponseHeaders)
            response = response.WithHeader(header, value);
        return fixture.ResponseBody is { } body ? response.WithBody(body) : response;
    }

    /// <summary>A JSON answer with <paramref name="status"/>.</summary>
    public static IResponseBuilder JsonReply(int status, string body) =>
        Response.Create().WithStatusCode(status).WithHeader("Content-Type", "application/json").WithBody(body);
}
