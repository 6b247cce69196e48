using FieldOps.Connectors.QuickBooks.Tests.Support;
using FieldOps.Integration.Core.Connectors;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace FieldOps.Connectors.QuickBooks.Tests.Regressions;

/// <summary>A 200 whose body was not JSON (a proxy page, a cut-off response) was taken as success and then threw while reading the entity.</summary>
public sealed class NonJsonSuccessBodyTests : IDisposable
{
    private readonly WireMockServer _server = WireMockServer.Start();
    private readonly QuickBooksTestHost _host;

    public NonJsonSuccessBodyTests() => _host = new QuickBooksTestHost(_server);

    [Fact]
    public async Task Create_On200WithHtmlBody_ReturnsTransient()
    {
        _server.Given(Request.Create().WithPath($"/v3/company/{QuickBooksTestHost.Realm}/invoice").UsingPost())
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "text/html").WithBody("<html>upstream reset</html>"));

        var outcome = await _host.Connector.DeliverAsync(Operations.CreateInvoice(), CancellationToken.None);

        Assert.Equal(OutcomeKind.Transient, outcome.Kind);
    }

    public void Dispose()
    {
        _host.Dispose();
        _server.Stop();
    }
}
