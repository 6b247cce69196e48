using FieldOps.Integration.Testing.Sources;
using FieldOps.Integration.Testing.Vendors;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace FieldOps.Sources.Salesforce.Tests;

/// <summary>
/// A Case whose Subject a user's tool cut through an emoji, answered with half a surrogate pair as an escape
/// (<c>\ud83d</c>): before, reading the page threw 'Cannot read incomplete UTF-16 JSON text', the run failed, and every
/// run asked for the same page, so the source stalled behind that Case.
/// </summary>
public sealed class SalesforcePollSurrogateTests : IAsyncLifetime
{
    private readonly WireMockServer _server = WireMockServer.Start();
    private PollTestHost _host = null!;

    public async Task InitializeAsync()
    {
        var org = new FakeSalesforceOrg(_server);
        _host = await PollTestHost.StartAsync("sf", org.SourceSettings(), services => services.AddSalesforceSource());
    }

    [Fact]
    public async Task Poll_ACaseHoldsHalfAPair_IsStoredWithTheReplacementCharacterAndAddsNothingWhenPolledAgain()
    {
        _server.Given(Request.Create().WithPath("/services/data/v62.0/query").UsingGet()).AtPriority(0)
            .RespondWith(Response.Create().WithHeader("Content-Type", "application/json").WithBody("""
                {"totalSize":1,"done":true,"records":[{"attributes":{"type":"Case"},"Id":"5003000000D8cAAAQA",
                 "SystemModstamp":"2026-12-04T08:00:00.000+0000","Subject":"Leak under sink \ud83d"}]}
                """));

        var first = await _host.PollAsync();
        var second = await _host.PollAsync();

        Assert.Equal((1, (string?)null), (first.Appended, first.Error));
        Assert.Equal((0, 1, (string?)null), (second.Appended, second.Duplicates, second.Error));
        Assert.Equal(["Case:5003000000D8cAAAQA:" + DateTimeOffset.Parse("2026-12-04T08:00:00Z", System.Globalization.CultureInfo.InvariantCulture).ToUnixTimeMilliseconds()],
            _host.InboxDedupKeys());
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        _server.Stop();
    }
}
