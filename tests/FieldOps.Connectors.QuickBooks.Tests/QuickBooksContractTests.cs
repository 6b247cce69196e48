using FieldOps.Connectors.QuickBooks.Tests.Support;
using FieldOps.Integration.Core.Connectors;
using FieldOps.Integration.Testing;
using WireMock.RequestBuilders;
using static FieldOps.Integration.Testing.VendorAnswers;

namespace FieldOps.Connectors.QuickBooks.Tests;

/// <summary>The connector contract, on invoice creation, against WireMock answering like the fixtures.</summary>
public sealed class QuickBooksContractTests : ConnectorContractTests
{
    private const string InvoicePath = $"/v3/company/{QuickBooksTestHost.Realm}/invoice";
    private QuickBooksTestHost? _host;

    protected override IConnector CreateConnector() => (_host ??= new QuickBooksTestHost(Server)).Connector;

    protected override OutboundOperation CreateOperation() => Operations.CreateInvoice();

    protected override string ExpectedTargetId => "147";

    protected override TimeSpan ExpectedThrottleWait => TimeSpan.FromSeconds(60);

    protected override string ExpectedPermanentText => "Object Not Found";

    protected override void ArrangeDelivered() =>
        Server.Given(Request.Create().WithPath(InvoicePath).UsingPost()).RespondWith(FromFixture("invoice-create-response.json"));

    protected override void ArrangeTransient() =>
        Server.Given(Request.Create().WithPath(InvoicePath).UsingPost()).RespondWith(JsonReply(500, """
            {"Fault":{"Error":[{"Message":"An application error has occurred while processing your request","Detail":"System Failure Error","code":"10000"}],"type":"SystemFault"},"time":"2025-06-03T09:22:10.902-07:00"}
            """));

    protected override void ArrangeThrottled() =>
        Server.Given(Request.Create().WithPath(InvoicePath).UsingPost()).RespondWith(JsonReply(429, """
            {"Fault":{"Error":[{"Message":"message=ThrottleExceeded; errorCode=003001; statusCode=429","Detail":"The request limit was reached.","code":"3001"}],"type":"SERVICE"},"time":"2025-06-03T09:22:10.902-07:00"}
            """));

    protected override void ArrangeAuthExpired() =>
        Server.Given(Request.Create().WithPath(InvoicePath).UsingPost()).RespondWith(FromFixture("fault-auth-401.json"));

    protected override void ArrangePermanent() =>
        Server.Given(Request.Create().WithPath(InvoicePath).UsingPost()).RespondWith(FromFixture("fault-object-not-found-610.json"));

    [Fact]
    public async Task Deliver_OnFault_QuotesIntuitsTransactionId()
    {
        ArrangePermanent();
        var outcome = await CreateConnector().DeliverAsync(CreateOperation(), CancellationToken.None);
        Assert.Contains("[intuit_tid 1-6650a1b2-5c1d2e3f4a5b6c7d8e9f0a1b]", outcome.Message, StringComparison.Ordinal);
        Assert.Contains("610", outcome.Message, StringComparison.Ordinal);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
            _host?.Dispose();
        base.Dispose(disposing);
    }
}
