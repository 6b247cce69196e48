using FieldOps.Integration.Core.Credentials;
using FieldOps.Integration.Core.Intake;
using FieldOps.Integration.Core.Sources;
using FieldOps.Integration.Storage;
using FieldOps.Integration.Storage.Migrations;
using FieldOps.Integration.Storage.Sources;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace FieldOps.Sources.BambooHR.Tests;

/// <summary>The time-off poll through the poll runner into a SQLite inbox, against WireMock answering like BambooHR.</summary>
public sealed class BambooHRTimeOffPollTests : IAsyncLifetime
{
    private readonly WireMockServer _server = WireMockServer.Start();
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "fieldops-bhr-tests", Guid.NewGuid().ToString("N"));
    private ServiceProvider _services = null!;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_directory);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Store:ConnectionString"] = $"Data Source={Path.Combine(_directory, "fieldops.db")}",
            ["Credentials:KeysDirectory"] = Path.Combine(_directory, "keys"),
            ["Sources:hr:Kind"] = "bamboohr",
            ["Sources:hr:ApiBaseUrl"] = _server.Url,
            ["Sources:hr:ApiKey"] = "bhr-test-api-key",
            ["Sources:hr:Poll:Adapter"] = "bamboohr-timeoff",
            ["Sources:hr:Poll:Interval"] = "00:05:00",
        }).Build();
        var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(configuration)
            .AddLogging()
            .AddFieldOpsStore()
            .AddDispatchStores()
            .AddSourceStores()
            .AddFieldOpsCredentials()
            .AddSourcesCore()
            .AddBambooHRSource();
        services.AddOptions<SourcesOptions>().BindConfiguration(SourcesOptions.SectionName);
        _services = services.BuildServiceProvider();
        await _services.GetRequiredService<MigrationRunner>().MigrateAsync(CancellationToken.None);
    }

    private void Answer(string status) =>
        _server.Given(Request.Create().WithPath("/api/v1/time_off/requests").UsingGet()).RespondWith(Response.Create()
            .WithHeader("Content-Type", "application/json")
            .WithBody($$$"""
                [{"id":"1301","employeeId":"117","name":"Sam Ortiz","start":"2026-12-21","end":"2026-12-23","created":"2026-12-01",
                  "status":{"lastChanged":"2026-12-04","lastChangedByUserId":"2369","status":"{{{status}}}"},
                  "type":{"id":"78","name":"Vacation","icon":"palm-trees"},"amount":{"unit":"days","amount":"3"},
                  "actions":{"view":true,"edit":false,"cancel":false,"approve":false,"deny":false,"bypass":false},
                  "dates":{"2026-12-21":"1","2026-12-22":"1","2026-12-23":"1"},"notes":{}}]
                """));

    private Task<PollRunResult> PollAsync() => _services.GetRequiredService<PollRunner>().RunAsync("hr", CancellationToken.None);

    [Fact]
    public async Task Poll_ApprovedThenCanceled_IsTwoEvents_AndAnUnchangedRequestAddsNothing()
    {
        Answer("approved");
        Assert.Equal(1, (await PollAsync()).Appended);
        Assert.Equal(0, (await PollAsync()).Appended);

        Answer("canceled");
        Assert.Equal(1, (await PollAsync()).Appended);

        Assert.Equal(["TimeOff:1301:approved:2026-12-21:2026-12-23", "TimeOff:1301:canceled:2026-12-21:2026-12-23"], DedupKeys());
        var request = _server.LogEntries[^1].RequestMessage;
        Assert.Equal("Basic " + Convert.ToBase64String("bhr-test-api-key:x"u8), request.Headers!["Authorization"].Single());
        Assert.NotNull(request.Query!["start"].Single());
        Assert.NotNull(request.Query["end"].Single());
    }

    private List<string> DedupKeys()
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
