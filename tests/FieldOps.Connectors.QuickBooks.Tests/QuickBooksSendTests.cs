using FieldOps.Connectors.QuickBooks.Tests.Support;
using FieldOps.Integration.Core.Connectors;
using FieldOps.Integration.Testing.Credentials;
using WireMock.RequestBuilders;
using WireMock.Server;
using static FieldOps.Integration.Testing.VendorAnswers;
using FieldOps.Integration.Testing;

namespace FieldOps.Connectors.QuickBooks.Tests;

public sealed class QuickBooksSendTests : IDisposable
{
    private const string Invoice = $"/v3/company/{QuickBooksTestHost.Realm}/invoice/147";
    private readonly WireMockServer _server = WireMockServer.Start();
    private readonly QuickBooksTestHost _host;

    public QuickBooksSendTests() => _host = new QuickBooksTestHost(_server);

    private static OutboundOperation Send => Operations.QuickBooks(OperationNames.Send, "Invoice", "JOB-2024-0042-send",
        """{"fields": {}, "params": {"id": "147", "sendTo": "ap@harborviewdental.com"}}""");

    [Fact]
    public async Task Send_WhenInvoiceNeedsSending_SendsOnce()
    {
        _server.Given(Request.Create().WithPath(Invoice).UsingGet()).RespondWith(FromFixture("invoice-create-response.json"));
        _server.Given(Request.Create().WithPath(Invoice + "/send").UsingPost()).RespondWith(FromFixture("invoice-send.json"));

        var outcome = await _host.Connector.DeliverAsync(Send, CancellationToken.None);

        Assert.Equal(OutcomeKind.Delivered, outcome.Kind);
        Assert.Equal("147", outcome.TargetId);
        var send = Assert.Single(_server.Calls("POST", "/send"));
        Assert.Equal("ap@harborviewdental.com", send.QueryParam("sendTo"));
        Assert.StartsWith("application/octet-stream", send.Header("Content-Type"), StringComparison.Ordinal);
        Assert.Equal($"Bearer {FixedAccessTokenProvider.Token}", send.Header("Authorization"));
    }

    [Fact]
    public async Task Send_WhenAlreadyEmailSent_DoesNotSendAgain()
    {
        _server.Given(Request.Create().WithPath(Invoice).UsingGet()).RespondWith(FromFixture("invoice-send.json"));
        _server.Given(Request.Create().WithPath(Invoice + "/send").UsingPost()).RespondWith(FromFixture("invoice-send.json"));

        var outcome = await _host.Connector.DeliverAsync(Send with { Attempt = 2, MayHaveBeenApplied = true }, CancellationToken.None);

        Assert.Equal(OutcomeKind.Delivered, outcome.Kind);
        Assert.Empty(_server.Calls("POST", "/send"));
    }

    [Fact]
    public async Task CheckEffect_WhenEmailSent_ReturnsApplied()
    {
        _server.Given(Request.Create().WithPath(Invoice).UsingGet()).RespondWith(FromFixture("invoice-send.json"));

        var (result, id) = await _host.Connector.CheckEffectAsync(Send, CancellationToken.None);

        Assert.Equal(EffectCheck.Applied, result);
        Assert.Equal("147", id);
    }

    [Fact]
    public async Task CheckEffect_WhenNeedToSend_ReturnsNotApplied()
    {
        _server.Given(Request.Create().WithPath(Invoice).UsingGet()).RespondWith(FromFixture("invoice-create-response.json"));

        var (result, _) = await _host.Connector.CheckEffectAsync(Send, CancellationToken.None);

        Assert.Equal(EffectCheck.NotApplied, result);
    }

    [Fact]
    public async Task CheckEffect_WhenInvoiceGone_ReturnsUnknown()
    {
        _server.Given(Request.Create().WithPath(Invoice).UsingGet()).RespondWith(FromFixture("fault-object-not-found-610.json"));

        var (result, _) = await _host.Connector.CheckEffectAsync(Send, CancellationToken.None);

        Assert.Equal(EffectCheck.Unknown, result);
    }

    [Fact]
    public void IsNonIdempotent_OnlySend_IsTrue()
    {
        Assert.True(_host.Connector.IsNonIdempotent(Send));
        Assert.False(_host.Connector.IsNonIdempotent(Operations.CreateInvoice()));
    }

    public void Dispose()
    {
        _host.Dispose();
        _server.Stop();
    }
}
