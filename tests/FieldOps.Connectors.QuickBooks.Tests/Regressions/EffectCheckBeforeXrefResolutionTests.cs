using FieldOps.Connectors.QuickBooks.Tests.Support;
using FieldOps.Integration.Core.Connectors;
using WireMock.RequestBuilders;
using WireMock.Server;
using static FieldOps.Integration.Testing.VendorAnswers;

namespace FieldOps.Connectors.QuickBooks.Tests.Regressions;

/// <summary>
/// The dispatcher checks for the effect of an interrupted send before it resolves <c>$xref</c>s, so the shipped flow's
/// <c>params.id</c> is still a placeholder; the check answered Unknown and dead-lettered a send it could have verified.
/// </summary>
public sealed class EffectCheckBeforeXrefResolutionTests : IDisposable
{
    private readonly WireMockServer _server = WireMockServer.Start();
    private readonly QuickBooksTestHost _host;

    public EffectCheckBeforeXrefResolutionTests() => _host = new QuickBooksTestHost(_server);

    private static OutboundOperation SendWithPlaceholder => Operations.QuickBooks(OperationNames.Send, "Invoice", "send-job-4242",
        """{"fields": {}, "params": {"id": {"$xref": {"system": "quickbooks", "type": "Invoice", "sourceId": "JOB-4242"}}, "sendTo": "a@b.c"}}""")
        with { MayHaveBeenApplied = true };

    [Fact]
    public async Task CheckEffect_WithInvoiceIdStillAPlaceholder_ReadsTheCrossReferencedInvoice()
    {
        await _host.CrossReferences.SaveAsync("quickbooks", "Invoice", "JOB-4242", "147", CancellationToken.None);
        _server.Given(Request.Create().WithPath($"/v3/company/{QuickBooksTestHost.Realm}/invoice/147").UsingGet()).RespondWith(FromFixture("invoice-send.json"));

        var (result, id) = await _host.Connector.CheckEffectAsync(SendWithPlaceholder, CancellationToken.None);

        Assert.Equal(EffectCheck.Applied, result);
        Assert.Equal("147", id);
    }

    [Fact]
    public async Task CheckEffect_WithPlaceholderNotCrossReferenced_ReturnsUnknown()
    {
        var (result, _) = await _host.Connector.CheckEffectAsync(SendWithPlaceholder, CancellationToken.None);

        Assert.Equal(EffectCheck.Unknown, result);
        Assert.Empty(_server.LogEntries);
    }

    public void Dispose()
    {
        _host.Dispose();
        _server.Stop();
    }
}
