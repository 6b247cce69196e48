using FieldOps.Integration.Testing.Faults;
using FieldOps.Integration.Testing.Sources;
using WireMock.Server;
using FieldOps.Integration.Testing.Vendors;

namespace FieldOps.Sources.Salesforce.Tests;

/// <summary>
/// Polling while the store cannot be written — SQLite locked by another writer (as a stuck process or a backup tool
/// would hold it), or the PostgreSQL server stopped (a private cluster of this test, never the shared one): each run
/// ends with an error instead of stopping the loop, the failure is logged once and the recovery once, and when the
/// store is back the next run picks up every changed record exactly once.
/// </summary>
public sealed class SalesforcePollStoreFaultTests : IAsyncLifetime
{
    private readonly WireMockServer _server = WireMockServer.Start();
    private readonly List<string> _logs = [];
    private PollTestHost? _host;
    private PrivatePostgres? _postgres;
    private FakeSalesforceOrg _org = null!;

    public Task InitializeAsync()
    {
        _org = new FakeSalesforceOrg(_server);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Poll_WhileTheSqliteStoreIsLocked_SurvivesLogsOncePerStateChange_AndStoresEveryRecordOnceWhenItIsBack()
    {
        _host = await PollTestHost.StartAsync("sf", _org.SourceSettings(), services => services.AddSalesforceSource(), _logs,
            new Dictionary<string, string?> { ["BusyTimeout"] = "00:00:00.200" });
        await PollThroughAStoreFaultAsync(_host, _host.LockStore);
    }

    [PrivatePostgresFact]
    public async Task Poll_WhileThePostgresServerIsStopped_SurvivesLogsOncePerStateChange_AndStoresEveryRecordOnceWhenItIsBack()
    {
        _postgres = PrivatePostgres.Create();
        _postgres.Start();
        _host = await PollTestHost.StartAsync("sf", _org.SourceSettings(), services => services.AddSalesforceSource(), _logs,
            new Dictionary<string, string?> { ["Provider"] = "Postgres", ["ConnectionString"] = _postgres.ConnectionString });
        var postgres = _postgres;
        await PollThroughAStoreFaultAsync(_host, () =>
        {
            postgres.Stop();
            return new Restart(postgres);
        });
    }

    /// <summary>
    /// Three records, then three runs while <paramref name="fault"/> holds the store down, a fourth record changed
    /// meanwhile, and two runs once the fault is disposed.
    /// </summary>
    private async Task PollThroughAStoreFaultAsync(PollTestHost host, Func<IDisposable> fault)
    {
        _org.Add("5003000000D8cAAAQA", "2026-12-04T08:00:00Z", "one");
        _org.Add("5003000000D8cBBBQA", "2026-12-04T08:01:00Z", "two");
        _org.Add("5003000000D8cCCCQA", "2026-12-04T08:02:00Z", "three");

        using (fault())
        {
            for (var run = 0; run < 3; run++)
            {
                var failed = await host.PollAsync(); // the scheduled job's run: it must return, not throw
                Assert.NotNull(failed.Error);
                Assert.Equal(0, failed.Appended);
            }
        }
        Assert.Empty(host.InboxDedupKeys());
        Assert.Single(_logs, l => l.Contains("Polling sf cannot reach the store", StringComparison.Ordinal));
        Assert.DoesNotContain(_logs, l => l.Contains("recovered", StringComparison.Ordinal));

        _org.Add("5003000000D8cDDDQA", "2026-12-04T08:03:00Z", "four, changed while the store was down");
        var back = await host.PollAsync();
        var again = await host.PollAsync();

        Assert.Null(back.Error);
        Assert.Equal(4, back.Appended);
        Assert.Equal(0, again.Appended);
        var keys = host.InboxDedupKeys();
        Assert.Equal(4, keys.Count);
        Assert.Equal(4, keys.Distinct().Count());
        Assert.Single(_logs, l => l.Contains("Polling sf cannot reach the store", StringComparison.Ordinal));
        Assert.Single(_logs, l => l.Contains("Polling sf recovered after", StringComparison.Ordinal));
    }

    private sealed class Restart(PrivatePostgres postgres) : IDisposable
    {
        public void Dispose() => postgres.Start();
    }

    public async Task DisposeAsync()
    {
        if (_host is not null)
            await _host.DisposeAsync();
        _postgres?.Dispose();
        _server.Stop();
    }
}
