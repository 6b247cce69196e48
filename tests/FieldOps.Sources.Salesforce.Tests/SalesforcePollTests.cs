using FieldOps.Integration.Core.Credentials;
using FieldOps.Integration.Core.Intake;
using FieldOps.Integration.Core.Sources;
using FieldOps.Integration.Storage;
using FieldOps.Integration.Storage.Migrations;
using FieldOps.Integration.Storage.Sources;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using WireMock.Server;

namespace FieldOps.Sources.Salesforce.Tests;

public sealed class SalesforcePollTests : IAsyncLifetime
{
    private readonly WireMockServer _server = WireMockServer.Start();
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "fieldops-sf-tests", Guid.NewGuid().ToString("N"));
    private ServiceProvider _services = null!;
    private FakeSalesforceOrg _org = null!;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_directory);
        _org = new FakeSalesforceOrg(_server);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Store:ConnectionString"] = $"Data Source={Path.Combine(_directory, "fieldops.db")}",
            ["Credentials:KeysDirectory"] = Path.Combine(_directory, "keys"),
            ["Sources:sf:Kind"] = "salesforce",
            ["Sources:sf:ApiBaseUrl"] = _server.Url,
            ["Sources:sf:TokenUrl"] = _server.Url + "/services/oauth2/token",
            ["Sources:sf:ClientId"] = "3MVG9-test-consumer-key",
            ["Sources:sf:Secret"] = "test-consumer-secret",
            ["Sources:sf:Poll:Adapter"] = "salesforce",
            ["Sources:sf:Poll:Interval"] = "00:05:00",
            ["Sources:sf:Poll:PageSize"] = "2",
            ["Sources:sf:Poll:Overlap"] = "00:01:00",
        }).Build();
        var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(configuration)
            .AddLogging()
            .AddFieldOpsStore()
            .AddDispatchStores()
            .AddSourceStores()
            .AddFieldOpsCredentials()
            .AddSourcesCore()
            .AddSalesforceSource();
        services.AddOptions<SourcesOptions>().BindConfiguration(SourcesOptions.SectionName);
        _services = services.BuildServiceProvider();
        await _services.GetRequiredService<MigrationRunner>().MigrateAsync(CancellationToken.None);
    }

    private Task<PollRunResult> PollAsync() => _services.GetRequiredService<PollRunner>().RunAsync("sf", CancellationToken.None);

    private List<string> InboxDedupKeys()
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(_directory, "fieldops.db")};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT dedup_key FROM inbox ORDER BY id";
        using var reader = command.ExecuteReader();
        var keys = new List<string>();
        while (reader.Read())
            keys.Add(reader.GetString(0));
        return keys;
    }

    [Fact]
    public async Task Poll_TiesOnSystemModstampAcrossAPageBoundary_PicksUpEachCaseOnce()
    {
        // Three cases share one SystemModstamp; with two records a page the tie is split across pages.
        _org.Add("5003000000D8cAAAQA", "2026-12-04T08:00:00Z", "older");
        _org.Add("5003000000D8cBBBQA", "2026-12-04T08:05:00Z", "tie 1");
        _org.Add("5003000000D8cCCCQA", "2026-12-04T08:05:00Z", "tie 2");
        _org.Add("5003000000D8cDDDQA", "2026-12-04T08:05:00Z", "tie 3");

        var first = await PollAsync();

        Assert.Null(first.Error);
        Assert.Equal(4, first.Appended);
        Assert.Equal(4, InboxDedupKeys().Distinct().Count());
        Assert.Contains(_org.Queries, q => q.Contains("Id > '5003000000D8cBBBQA'", StringComparison.Ordinal));

        // A new case with the same SystemModstamp as the watermark arrives (it committed late), then a later one.
        _org.Add("5003000000D8cEEEQA", "2026-12-04T08:05:00Z", "late tie");
        _org.Add("5003000000D8cFFFQA", "2026-12-04T08:06:00Z", "new");
        var second = await PollAsync();

        Assert.Null(second.Error);
        Assert.Equal(2, second.Appended);
        Assert.True(second.Duplicates >= 3, $"the overlap re-read the earlier tie as duplicates ({second.Duplicates})");
        var keys = InboxDedupKeys();
        Assert.Equal(6, keys.Count);
        Assert.Equal(6, keys.Distinct().Count());
        // The second sweep started at the watermark minus the overlap, not after it.
        Assert.Contains(_org.Queries, q => q.Contains("SystemModstamp >= 2026-12-04T08:04:00.000Z", StringComparison.Ordinal));

        var third = await PollAsync();
        Assert.Equal(0, third.Appended);
        Assert.Equal(6, InboxDedupKeys().Count);
    }

    [Fact]
    public async Task Poll_ACaseChangedAgain_IsANewEvent()
    {
        _org.Add("5003000000D8cAAAQA", "2026-12-04T08:00:00Z", "first");
        await PollAsync();
        _org.Add("5003000000D8cAAAQA", "2026-12-04T09:00:00Z", "edited");
        var second = await PollAsync();
        Assert.Equal(1, second.Appended);
        Assert.Equal(["Case:5003000000D8cAAAQA:1796371200000", "Case:5003000000D8cAAAQA:1796374800000"], InboxDedupKeys());
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        _server.Stop();
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // Left for the OS.
        }
    }
}
