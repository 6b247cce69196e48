using System.Text;
using Dapper;
using FieldOps.Connectors.BambooHR;
using FieldOps.Integration.Core.Credentials;
using FieldOps.Integration.Core.CrossReferences;
using FieldOps.Integration.Core.Dispatch;
using FieldOps.Integration.Core.Inbox;
using FieldOps.Integration.Core.Intake;
using FieldOps.Integration.Core.Outbox;
using FieldOps.Integration.Core.Routing;
using FieldOps.Integration.Core.Storage;
using FieldOps.Integration.Storage;
using FieldOps.Integration.Storage.Migrations;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace FieldOps.Connectors.QuickBooks.Tests.EndToEnd;

/// <summary>
/// A worker as the host composes it — store, router over the shipped mappings, dispatcher, credentials store, the
/// QuickBooks and BambooHR connectors — in a temporary folder, pointed at two WireMock servers.
/// </summary>
internal sealed class EndToEndWorker : IAsyncDisposable
{
    public const string Source = "jobber-main";
    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"fieldops-e2e-{Guid.NewGuid():N}");
    private readonly IHost _host;

    public EndToEndWorker(string quickBooksUrl, string bambooHrUrl, IDictionary<string, string?>? extra = null,
        Action<IServiceCollection, IConfiguration>? moreConnectors = null)
    {
        Directory.CreateDirectory(_directory);
        var builder = new HostApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, ContentRootPath = _directory });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Store:ConnectionString"] = $"Data Source={Path.Combine(_directory, "fieldops.db")}",
            ["Credentials:KeysDirectory"] = Path.Combine(_directory, "keys"),
            ["Mappings:Path"] = ShippedMappings(),
            [$"Sources:{Source}:Kind"] = "jobber",
            ["Dispatcher:BaseDelay"] = "00:00:00.200",
            ["Dispatcher:MaxDelay"] = "00:00:01",
            ["Dispatcher:PollInterval"] = "00:00:00.100",
            ["Dispatcher:XrefRecheckInterval"] = "00:00:00.200",
            ["Connectors:QuickBooks:BaseUrl"] = quickBooksUrl,
            ["Connectors:QuickBooks:RealmId"] = Support.QuickBooksTestHost.Realm,
            ["Connectors:QuickBooks:TokenUrl"] = quickBooksUrl + "/oauth2/v1/tokens/bearer",
            ["Connectors:QuickBooks:ClientId"] = "ABcdEfGhIjKlMnOp",
            ["Connectors:QuickBooks:ClientSecret"] = "s3cr3t",
            ["Connectors:QuickBooks:RefreshToken"] = "AB11757000000exampleRefreshTokenValue",
            ["Connectors:QuickBooks:Timeout"] = "00:00:05",
            ["Connectors:QuickBooks:Items:Furnace service"] = "21",
            ["Company:TimeZone"] = "America/Denver",
            ["Connectors:BambooHR:BaseUrl"] = bambooHrUrl,
            ["Connectors:BambooHR:ApiKey"] = "0123456789abcdef",
        });
        if (extra is not null)
            builder.Configuration.AddInMemoryCollection(extra);
        var services = builder.Services;
        services.AddLogging();
        services.AddSingleton(TimeProvider.System);
        services.AddFieldOpsStore();
        services.AddOptions<SourcesOptions>().BindConfiguration(SourcesOptions.SectionName);
        services.AddDispatchStores();
        services.AddFieldOpsCredentials();
        services.AddMappingRouter();
        services.AddQuickBooksConnector(builder.Configuration);
        services.AddBambooHRConnector(builder.Configuration);
        moreConnectors?.Invoke(services, builder.Configuration);
        services.AddOutboxDispatcher();
        _host = builder.Build();
    }

    public IServiceProvider Services => _host.Services;

    public async Task StartAsync()
    {
        await Services.GetRequiredService<MigrationRunner>().MigrateAsync(CancellationToken.None);
        await _host.StartAsync();
    }

    public async Task<long> AppendAsync(string json)
    {
        var result = await Services.GetRequiredService<IInboxStore>().AppendAsync(new NewInboxEvent(Source, Guid.NewGuid().ToString("N"),
            DateTimeOffset.UtcNow, "application/json", new Dictionary<string, string>(), Encoding.UTF8.GetBytes(json)), CancellationToken.None);
        return result.EventId;
    }

    /// <summary>The outbox rows of <paramref name="connectors"/>: (connector, operation key, state, last error).</summary>
    public async Task<List<(string Connector, string OperationKey, string State, string? LastError)>> RowsAsync(params string[] connectors)
    {
        await using var connection = await Services.GetRequiredService<IDbConnectionFactory>().OpenAsync(CancellationToken.None);
        var rows = await connection.QueryAsync<(string, string, string, string?)>(
            "SELECT connector, operation_key, state, last_error FROM outbox WHERE connector IN @connectors ORDER BY seq", new { connectors });
        return rows.ToList();
    }

    /// <summary>The dead-letter reason of the row with <paramref name="operationKey"/>.</summary>
    public async Task<string?> DeadReasonAsync(string operationKey)
    {
        await using var connection = await Services.GetRequiredService<IDbConnectionFactory>().OpenAsync(CancellationToken.None);
        return await connection.QuerySingleOrDefaultAsync<string?>("SELECT dead_reason FROM outbox WHERE operation_key = @operationKey", new { operationKey });
    }

    /// <summary>Waits (bounded) until every row of <paramref name="connectors"/> is delivered or dead.</summary>
    public async Task<List<(string Connector, string OperationKey, string State, string? LastError)>> SettleAsync(TimeSpan limit, params string[] connectors)
    {
        var deadline = DateTimeOffset.UtcNow + limit;
        while (true)
        {
            var rows = await RowsAsync(connectors);
            if ((rows.Count > 0 && rows.All(r => r.State is OutboxStates.Delivered or OutboxStates.Dead or OutboxStates.Blocked)) || DateTimeOffset.UtcNow > deadline)
                return rows;
            await Task.Delay(100);
        }
    }

    /// <summary>The attempts history of the row with <paramref name="operationKey"/>.</summary>
    public async Task<IReadOnlyList<AttemptRecord>> AttemptsAsync(string operationKey)
    {
        await using var connection = await Services.GetRequiredService<IDbConnectionFactory>().OpenAsync(CancellationToken.None);
        var id = await connection.ExecuteScalarAsync<string>("SELECT id FROM outbox WHERE operation_key = @operationKey", new { operationKey });
        return await Services.GetRequiredService<IOutboxStore>().GetAttemptsAsync(id!, CancellationToken.None);
    }

    /// <summary>The attempts history of every row of <paramref name="connector"/>, in row order.</summary>
    public async Task<List<AttemptRecord>> AllAttemptsAsync(string connector)
    {
        await using var connection = await Services.GetRequiredService<IDbConnectionFactory>().OpenAsync(CancellationToken.None);
        var ids = await connection.QueryAsync<string>("SELECT id FROM outbox WHERE connector = @connector ORDER BY seq", new { connector });
        var all = new List<AttemptRecord>();
        foreach (var id in ids)
            all.AddRange(await Services.GetRequiredService<IOutboxStore>().GetAttemptsAsync(id, CancellationToken.None));
        return all;
    }

    public Task<string?> XrefAsync(string type, string sourceId) =>
        Services.GetRequiredService<ICrossReferenceStore>().FindAsync("quickbooks", type, sourceId, CancellationToken.None);

    public static string ShippedMappings()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "FieldOps.Integration.sln")))
                return Path.Combine(dir.FullName, "mappings");
        }
        throw new DirectoryNotFoundException("The repository's mappings folder (beside FieldOps.Integration.sln) was not found.");
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync(TimeSpan.FromSeconds(10));
        _host.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // Left for the OS to clean up.
        }
    }
}
