using System.Text;
using Dapper;
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

namespace FieldOps.Integration.Testing.EndToEnd;

/// <summary>
/// The service's delivery path as the host composes it — inbox, router over the shipped <c>mappings/</c>, outbox,
/// dispatcher, credentials store, the connectors under test — on a migrated SQLite file in a temp folder, run by a
/// generic host (no web server). Sources: <c>fsm</c> (canonical events) and <c>jobber-main</c> (Jobber payloads).
/// </summary>
public sealed class DeliveryPipeline : IAsyncDisposable
{
    private readonly string _directory;
    private readonly bool _ownsDirectory;
    private readonly IHost _host;

    private DeliveryPipeline(string directory, bool ownsDirectory, IHost host)
    {
        _directory = directory;
        _ownsDirectory = ownsDirectory;
        _host = host;
    }

    public IServiceProvider Services => _host.Services;

    /// <summary>The repository's <c>mappings/</c> folder, found by walking up from the test's output folder.</summary>
    public static string ShippedMappings
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "FieldOps.Integration.sln")))
                    return Path.Combine(dir.FullName, "mappings");
            }
            throw new DirectoryNotFoundException("FieldOps.Integration.sln not found above " + AppContext.BaseDirectory);
        }
    }

    public static string Sample(string name) => File.ReadAllText(Path.Combine(ShippedMappings, "samples", name));

    /// <summary>A new temp folder for <see cref="StartAsync"/>'s <c>directory</c>, when a test restarts the pipeline on one store.</summary>
    public static string NewDirectory() => Path.Combine(Path.GetTempPath(), "fieldops-e2e", Guid.NewGuid().ToString("N"));

    /// <summary>Starts the pipeline; on <paramref name="directory"/> (kept on dispose) when given, else on a temp folder of its own.</summary>
    public static async Task<DeliveryPipeline> StartAsync(IDictionary<string, string?> settings, Action<IServiceCollection, IConfiguration> addConnectors, string? directory = null)
    {
        var ownsDirectory = directory is null;
        directory ??= NewDirectory();
        Directory.CreateDirectory(directory);
        var values = new Dictionary<string, string?>
        {
            ["Store:ConnectionString"] = $"Data Source={Path.Combine(directory, "fieldops.db")}",
            ["Credentials:KeysDirectory"] = Path.Combine(directory, "keys"),
            ["Mappings:Path"] = ShippedMappings,
            ["Sources:fsm:Kind"] = "canonical",
            ["Sources:jobber-main:Kind"] = "jobber",
            ["Dispatcher:PollInterval"] = "00:00:00.050",
            ["Dispatcher:BaseDelay"] = "00:00:00.100",
            ["Dispatcher:MaxDelay"] = "00:00:01",
            ["Dispatcher:XrefRecheckInterval"] = "00:00:00.100",
        };
        foreach (var (key, value) in settings)
            values[key] = value;
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = directory, EnvironmentName = "Test", DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(values);
        var services = builder.Services;
        services.AddLogging();
        services.AddSingleton(TimeProvider.System);
        services.AddFieldOpsStore();
        services.AddOptions<SourcesOptions>().BindConfiguration(SourcesOptions.SectionName);
        services.AddMappingRouter();
        services.AddDispatchStores();
        services.AddFieldOpsCredentials();
        addConnectors(services, builder.Configuration);
        services.AddOutboxDispatcher();
        var host = builder.Build();
        await host.Services.GetRequiredService<MigrationRunner>().MigrateAsync(CancellationToken.None);
        await host.StartAsync();
        return new DeliveryPipeline(directory, ownsDirectory, host);
    }

    /// <summary>Commits an event to the inbox as intake would; returns its id.</summary>
    public async Task<long> AppendAsync(string source, string json)
    {
        var result = await Services.GetRequiredService<IInboxStore>().AppendAsync(new NewInboxEvent(source, Guid.NewGuid().ToString("N"), DateTimeOffset.UtcNow,
            "application/json", new Dictionary<string, string>(), Encoding.UTF8.GetBytes(json)), CancellationToken.None);
        return result.EventId;
    }

    /// <summary>
    /// Writes one outbox row the router's way (an inbox event of <c>fsm</c>, then the routing store's commit) for an
    /// operation no shipped flow produces; the dispatcher then delivers it like any routed row. Returns the row id.
    /// </summary>
    public async Task<string> EnqueueAsync(string connector, string operation, string objectType, object payload, string partitionKey)
    {
        var eventId = await AppendHeldFromRouterAsync();
        var row = new NewOutboxRow
        {
            Id = OutboxRowKey.Compute(eventId, "test-flow", "op", "rev1"),
            InboxEventId = eventId,
            Flow = "test-flow",
            OperationKey = "op",
            MappingRevision = "rev1",
            Connector = connector,
            Operation = operation,
            ObjectType = objectType,
            IdempotencyKey = Guid.NewGuid().ToString("N"),
            PartitionKey = partitionKey,
            Payload = System.Text.Json.JsonSerializer.Serialize(payload),
            SourceFile = "mappings/flows/test.yaml",
        };
        if (await Services.GetRequiredService<IRoutingStore>().CommitRoutedAsync(eventId, [row], CancellationToken.None) != 1)
            throw new InvalidOperationException($"outbox row {row.Id} of held inbox event {eventId} was not written");
        return row.Id;
    }

    /// <summary>
    /// Appends an <c>fsm</c> event and claims it for the test as a router would, so that the running router cannot
    /// take it first (it would find <c>{}</c> unmatched, and the commit of the test's rows would then write nothing).
    /// Should the router claim it between the append and the claim, another event is appended.
    /// </summary>
    private async Task<long> AppendHeldFromRouterAsync()
    {
        for (var attempt = 1; ; attempt++)
        {
            var eventId = await AppendAsync("fsm", "{}");
            await using var connection = await Services.GetRequiredService<IDbConnectionFactory>().OpenAsync(CancellationToken.None);
            var held = await connection.ExecuteAsync(
                "UPDATE inbox SET route_lease_owner = 'test-enqueue', route_lease_until = @until " +
                "WHERE id = @eventId AND state = 'new' AND (route_lease_until IS NULL OR route_lease_until < @now)",
                new { eventId, now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), until = DateTimeOffset.UtcNow.AddDays(1).ToUnixTimeMilliseconds() });
            if (held == 1)
                return eventId;
            if (attempt == 20)
                throw new InvalidOperationException($"the router took each of {attempt} test events before the test could claim one");
        }
    }

    /// <summary>Waits (at most <paramref name="timeout"/>) until the row is delivered or dead; returns its status.</summary>
    public async Task<OutboxRowStatus> SettleRowAsync(string id, TimeSpan? timeout = null)
    {
        var deadline = DateTimeOffset.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (true)
        {
            var status = await Services.GetRequiredService<IOutboxStore>().GetStatusAsync(id, CancellationToken.None);
            if (status?.State is OutboxStates.Delivered or OutboxStates.Dead)
                return status;
            if (DateTimeOffset.UtcNow > deadline)
                throw new TimeoutException($"outbox row {id} did not settle: {status?.State ?? "missing"}");
            await Task.Delay(50);
        }
    }

    public Task SaveXrefAsync(string system, string type, string sourceId, string targetId) =>
        Services.GetRequiredService<ICrossReferenceStore>().SaveAsync(system, type, sourceId, targetId, CancellationToken.None);

    public Task<string?> XrefAsync(string system, string type, string sourceId) =>
        Services.GetRequiredService<ICrossReferenceStore>().FindAsync(system, type, sourceId, CancellationToken.None);

    /// <summary>The outbox rows of one connector for an event, in routing order.</summary>
    public async Task<List<Row>> RowsAsync(long inboxEventId, string connector)
    {
        await using var connection = await Services.GetRequiredService<IDbConnectionFactory>().OpenAsync(CancellationToken.None);
        var rows = await connection.QueryAsync<Row>(
            "SELECT id AS Id, flow AS Flow, operation_key AS OperationKey, state AS State, dead_reason AS DeadReason FROM outbox " +
            "WHERE inbox_event_id = @inboxEventId AND connector = @connector ORDER BY seq", new { inboxEventId, connector });
        return rows.ToList();
    }

    /// <summary>Waits (at most <paramref name="timeout"/>) until every row of the connector for the event is in a final or held state.</summary>
    public async Task<List<Row>> SettleAsync(long inboxEventId, string connector, int expectedRows, TimeSpan? timeout = null)
    {
        var deadline = DateTimeOffset.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (true)
        {
            var rows = await RowsAsync(inboxEventId, connector);
            if (rows.Count == expectedRows && rows.All(r => r.State is OutboxStates.Delivered or OutboxStates.Dead or OutboxStates.Blocked))
                return rows;
            if (DateTimeOffset.UtcNow > deadline)
                throw new TimeoutException($"{connector} rows of event {inboxEventId} did not settle: {string.Join(", ", rows.Select(r => $"{r.OperationKey}={r.State}"))}");
            await Task.Delay(50);
        }
    }

    /// <summary>The inbox event's state once the router has taken it (no longer <c>new</c>), waiting at most 10 s.</summary>
    public async Task<string> SettledStateAsync(long inboxEventId)
    {
        for (var i = 0; i < 200; i++)
        {
            var state = await InboxStateAsync(inboxEventId);
            if (state != "new")
                return state;
            await Task.Delay(50);
        }
        return "new";
    }

    /// <summary>The inbox event's state (<c>new</c>, <c>routed</c>, <c>unmatched</c>, <c>parked</c>, …).</summary>
    public async Task<string> InboxStateAsync(long inboxEventId)
    {
        await using var connection = await Services.GetRequiredService<IDbConnectionFactory>().OpenAsync(CancellationToken.None);
        return await connection.ExecuteScalarAsync<string>("SELECT state FROM inbox WHERE id = @inboxEventId", new { inboxEventId }) ?? "";
    }

    public Task<IReadOnlyList<AttemptRecord>> AttemptsAsync(string outboxId) =>
        Services.GetRequiredService<IOutboxStore>().GetAttemptsAsync(outboxId, CancellationToken.None);

    /// <summary>Every outbox row of <paramref name="connectors"/>, in routing order.</summary>
    public async Task<List<ConnectorRow>> ConnectorRowsAsync(params string[] connectors)
    {
        await using var connection = await Services.GetRequiredService<IDbConnectionFactory>().OpenAsync(CancellationToken.None);
        var rows = await connection.QueryAsync<ConnectorRow>(
            "SELECT connector AS Connector, operation_key AS OperationKey, state AS State, last_error AS LastError FROM outbox " +
            "WHERE connector IN @connectors ORDER BY seq", new { connectors });
        return rows.ToList();
    }

    /// <summary>Waits (at most <paramref name="limit"/>) until every row of <paramref name="connectors"/> is delivered, dead or blocked.</summary>
    public async Task<List<ConnectorRow>> SettleConnectorsAsync(TimeSpan limit, params string[] connectors)
    {
        var deadline = DateTimeOffset.UtcNow + limit;
        while (true)
        {
            var rows = await ConnectorRowsAsync(connectors);
            if ((rows.Count > 0 && rows.All(r => r.State is OutboxStates.Delivered or OutboxStates.Dead or OutboxStates.Blocked)) || DateTimeOffset.UtcNow > deadline)
                return rows;
            await Task.Delay(100);
        }
    }

    /// <summary>The dead-letter reason of the row with <paramref name="operationKey"/>.</summary>
    public async Task<string?> DeadReasonAsync(string operationKey)
    {
        await using var connection = await Services.GetRequiredService<IDbConnectionFactory>().OpenAsync(CancellationToken.None);
        return await connection.QuerySingleOrDefaultAsync<string?>("SELECT dead_reason FROM outbox WHERE operation_key = @operationKey", new { operationKey });
    }

    /// <summary>The attempts history of the (one) row with <paramref name="operationKey"/>.</summary>
    public async Task<IReadOnlyList<AttemptRecord>> AttemptsOfOperationAsync(string operationKey)
    {
        await using var connection = await Services.GetRequiredService<IDbConnectionFactory>().OpenAsync(CancellationToken.None);
        var id = await connection.ExecuteScalarAsync<string>("SELECT id FROM outbox WHERE operation_key = @operationKey", new { operationKey });
        return await AttemptsAsync(id ?? throw new InvalidOperationException($"no outbox row with operation key '{operationKey}'"));
    }

    /// <summary>The attempts history of every row of <paramref name="connector"/>, in row order.</summary>
    public async Task<List<AttemptRecord>> AllAttemptsAsync(string connector)
    {
        await using var connection = await Services.GetRequiredService<IDbConnectionFactory>().OpenAsync(CancellationToken.None);
        var ids = await connection.QueryAsync<string>("SELECT id FROM outbox WHERE connector = @connector ORDER BY seq", new { connector });
        var all = new List<AttemptRecord>();
        foreach (var id in ids)
            all.AddRange(await AttemptsAsync(id));
        return all;
    }

    public ConnectionStatus Connections => Services.GetRequiredService<ConnectionStatus>();

    /// <summary>Runs SQL against the store (to stage what a crash leaves behind).</summary>
    public async Task ExecuteAsync(string sql, object parameters)
    {
        await using var connection = await Services.GetRequiredService<IDbConnectionFactory>().OpenAsync(CancellationToken.None);
        await connection.ExecuteAsync(sql, parameters);
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (_ownsDirectory)
            Delete(_directory);
    }

    /// <summary>Deletes a folder of <see cref="NewDirectory"/>.</summary>
    public static void Delete(string directory)
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // Left for the OS to clean up.
        }
    }

    public sealed record Row(string Id, string Flow, string OperationKey, string State, string? DeadReason);

    public sealed record ConnectorRow(string Connector, string OperationKey, string State, string? LastError);
}
