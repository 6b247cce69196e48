using FieldOps.Integration.Testing.Sources;
using WireMock.Server;
using FieldOps.Integration.Testing.Vendors;

namespace FieldOps.Sources.Salesforce.Tests;

public sealed class SalesforcePollTests : IAsyncLifetime
{
    private readonly WireMockServer _server = WireMockServer.Start();
    private PollTestHost _host = null!;
    private FakeSalesforceOrg _org = null!;

    public async Task InitializeAsync()
    {
        _org = new FakeSalesforceOrg(_server);
        _host = await PollTestHost.StartAsync("sf", _org.SourceSettings(), services => services.AddSalesforceSource());
    }

    [Fact]
    public async Task Poll_TiesOnSystemModstampAcrossAPageBoundary_PicksUpEachCaseOnce()
    {
        // Three cases share one SystemModstamp; with two records a page the tie is split across pages.
        _org.Add("5003000000D8cAAAQA", "2026-12-04T08:00:00Z", "older");
        _org.Add("5003000000D8cBBBQA", "2026-12-04T08:05:00Z", "tie 1");
        _org.Add("5003000000D8cCCCQA", "2026-12-04T08:05:00Z", "tie 2");
        _org.Add("5003000000D8cDDDQA", "2026-12-04T08:05:00Z", "tie 3");

        var first = await _host.PollAsync();

        Assert.Null(first.Error);
        Assert.Equal(4, first.Appended);
        Assert.Equal(4, _host.InboxDedupKeys().Distinct().Count());
        Assert.Contains(_org.Queries, q => q.Contains("Id > '5003000000D8cBBBQA'", StringComparison.Ordinal));

        // A new case with the same SystemModstamp as the watermark arrives (it committed late), then a later one.
        _org.Add("5003000000D8cEEEQA", "2026-12-04T08:05:00Z", "late tie");
        _org.Add("5003000000D8cFFFQA", "2026-12-04T08:06:00Z", "new");
        var second = await _host.PollAsync();

        Assert.Null(second.Error);
        Assert.Equal(2, second.Appended);
        Assert.True(second.Duplicates >= 3, $"the overlap re-read the earlier tie as duplicates ({second.Duplicates})");
        var keys = _host.InboxDedupKeys();
        Assert.Equal(6, keys.Count);
        Assert.Equal(6, keys.Distinct().Count());
        // The second sweep started at the watermark minus the overlap, not after it.
        Assert.Contains(_org.Queries, q => q.Contains("SystemModstamp >= 2026-12-04T08:04:00.000Z", StringComparison.Ordinal));

        var third = await _host.PollAsync();
        Assert.Equal(0, third.Appended);
        Assert.Equal(6, _host.InboxDedupKeys().Count);
    }

    [Fact]
    public async Task Poll_ACaseChangedAgain_IsANewEvent()
    {
        _org.Add("5003000000D8cAAAQA", "2026-12-04T08:00:00Z", "first");
        await _host.PollAsync();
        _org.Add("5003000000D8cAAAQA", "2026-12-04T09:00:00Z", "edited");
        var second = await _host.PollAsync();
        Assert.Equal(1, second.Appended);
        Assert.Equal(["Case:5003000000D8cAAAQA:1796371200000", "Case:5003000000D8cAAAQA:1796374800000"], _host.InboxDedupKeys());
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        _server.Stop();
    }
}
