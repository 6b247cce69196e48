using System.Text;
using System.Text.Json.Nodes;
using Dapper;
using FieldOps.Integration.Core.Connectors;
using FieldOps.Integration.Core.Hydration;
using FieldOps.Integration.Core.Inbox;
using FieldOps.Integration.Core.Intake;
using FieldOps.Integration.Core.Mapping.Loading;
using FieldOps.Integration.Core.Routing;
using FieldOps.Integration.Core.Secrets;
using FieldOps.Integration.Core.Tests.Mapping;
using FieldOps.Integration.Storage;
using FieldOps.Integration.Storage.CrossReferences;
using FieldOps.Integration.Storage.Inbox;
using FieldOps.Integration.Storage.Migrations;
using FieldOps.Integration.Storage.Outbox;
using FieldOps.Integration.Storage.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace FieldOps.Integration.Core.Tests.Routing;

/// <summary>The real router over a real SQLite store in a temporary folder (or a given test database), with the sources <c>jobber-main</c>, <c>fsm</c> and the reverse directions' <c>sf</c> (Salesforce), <c>hs</c> (HubSpot) and <c>hr</c> (BambooHR).</summary>
internal sealed class RouterHarness : IAsyncDisposable
{
    private readonly string _directory;
    private readonly TestDatabase? _database;
    private readonly ServiceProvider _services;

    private RouterHarness(
        string directory, MappingFolder mappings, IStoreConnections connections, InboxStore inbox, bool jobberHydrator = true, TestDatabase? database = null,
        SecretScrubber? scrubber = null)
    {
        _directory = directory;
        _database = database;
        Mappings = mappings;
        Connections = connections;
        Inbox = inbox;
        Routing = new RoutingStore(connections, TimeProvider.System);
        CrossReferences = new CrossReferenceStore(connections, TimeProvider.System);
        // Failed enrich reads are retried after 50 ms, 100 ms, … so a test sees the retries without waiting long.
        Options = new MappingOptions { Path = mappings.Root, EnrichRetryDelay = TimeSpan.FromMilliseconds(50) };
        var options = Microsoft.Extensions.Options.Options.Create(Options);
        Catalog = new MappingCatalog(options, new TestEnvironment(directory), NullLogger<MappingCatalog>.Instance);
        var sources = new SourcesOptions
        {
            ["jobber-main"] = new SourceOptions { Kind = "jobber" },
            ["fsm"] = new SourceOptions { Kind = SourceKinds.Canonical },
            ["sf"] = new SourceOptions { Kind = "salesforce" },
            ["hs"] = new SourceOptions { Kind = "hubspot" },
            ["hr"] = new SourceOptions { Kind = "bamboohr" },
        };
        var hydrators = new ServiceCollection();
        if (jobberHydrator)
            hydrators.AddKeyedSingleton<IRecordHydrator, RegisteredHydrator>("jobber");
        hydrators.AddKeyedSingleton<IConnectorReader>("salesforce", SalesforceReader);
        _services = hydrators.BuildServiceProvider();
        Router = new MappingRouter(Inbox, Routing, CrossReferences, Catalog, new RecordHydrators(_services), new FixedOptionsMonitor<SourcesOptions>(sources), options,
            TimeProvider.System, NullLogger<MappingRouter>.Instance, scrubber: scrubber,
            enricher: new EventEnricher(_services, new EnrichmentStore(connections, TimeProvider.System), options));
    }

    public MappingFolder Mappings { get; }

    /// <summary>The router's options (the same object the router and enricher read: a test may change the retry settings before routing).</summary>
    public MappingOptions Options { get; }

    public IStoreConnections Connections { get; }

    public InboxStore Inbox { get; }

    public RoutingStore Routing { get; }

    public CrossReferenceStore CrossReferences { get; }

    public MappingCatalog Catalog { get; }

    public MappingRouter Router { get; }

    /// <summary>The <c>salesforce</c> reader the flows' enrich steps read through; it answers with the shipped sample's open cases.</summary>
    public SampleReader SalesforceReader { get; } = new(JsonNode.Parse(Sample("jobber-visit-create.enrich.json"))!["crm"]!.ToJsonString());

    /// <param name="mappings">The mapping files; the shipped ones by default.</param>
    /// <param name="jobberHydrator">Whether the <c>jobber</c> kind has a hydrator registered (as the Jobber source's project does).</param>
    /// <param name="scrubber">The secret scrubber the router applies to park reasons; none by default.</param>
    public static async Task<RouterHarness> StartAsync(MappingFolder? mappings = null, bool jobberHydrator = true, SecretScrubber? scrubber = null)
    {
        var directory = Path.Combine(Path.GetTempPath(), "fieldops-router-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var store = new StoreOptions { ConnectionString = $"Data Source={Path.Combine(directory, "fieldops.db")}" };
        var connections = new SqliteConnectionFactory(store);
        await new MigrationRunner(connections, TimeProvider.System, NullLogger<MigrationRunner>.Instance).MigrateAsync(CancellationToken.None);
        return new RouterHarness(
            directory, mappings ?? new MappingFolder(), connections, new InboxStore(connections, store, NullLogger<InboxStore>.Instance), jobberHydrator, scrubber: scrubber);
    }

    /// <summary>The same harness over <paramref name="database"/> (e.g. PostgreSQL), which it disposes.</summary>
    public static async Task<RouterHarness> StartAsync(TestDatabase database, MappingFolder? mappings = null)
    {
        var directory = Path.Combine(Path.GetTempPath(), "fieldops-router-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        await database.InitializeAsync();
        return new RouterHarness(directory, mappings ?? new MappingFolder(), database.Connections,
            new InboxStore(database.Connections, database.Options, NullLogger<InboxStore>.Instance), database: database);
    }

    /// <summary>Commits an event to the inbox as intake would.</summary>
    public async Task<long> AppendAsync(string source, string json, string? dedupKey = null)
    {
        var result = await Inbox.AppendAsync(new NewInboxEvent(source, dedupKey ?? Guid.NewGuid().ToString("N"), TimeProvider.System.GetUtcNow(),
            "application/json", new Dictionary<string, string>(), Encoding.UTF8.GetBytes(json)), CancellationToken.None);
        return result.EventId;
    }

    public static string Sample(string name) => File.ReadAllText(Path.Combine(MappingFolder.Shipped, "samples", name));

    public async Task<List<OutboxRowView>> OutboxAsync(long inboxEventId)
    {
        await using var connection = await Connections.OpenAsync(CancellationToken.None);
        var rows = await connection.QueryAsync<OutboxRowView>(
            "SELECT id AS Id, flow AS Flow, operation_key AS OperationKey, mapping_revision AS MappingRevision, connector AS Connector, " +
            "idempotency_key AS IdempotencyKey, payload AS Payload FROM outbox WHERE inbox_event_id = @inboxEventId ORDER BY seq",
            new { inboxEventId });
        return rows.ToList();
    }

    public async Task<(string State, string? Reason)> StateAsync(long inboxEventId)
    {
        var ev = await Inbox.GetAsync(inboxEventId, CancellationToken.None);
        return (ev!.State, ev.StateReason);
    }

    /// <summary>Sets an event back to new, as an admin's re-route does.</summary>
    public async Task ResetAsync(long inboxEventId)
    {
        await using var connection = await Connections.OpenAsync(CancellationToken.None);
        await connection.ExecuteAsync("UPDATE inbox SET state = 'new', state_reason = NULL WHERE id = @inboxEventId", new { inboxEventId });
    }

    public async ValueTask DisposeAsync()
    {
        await Inbox.DisposeAsync();
        await _services.DisposeAsync();
        Mappings.Dispose();
        if (_database is not null)
            await _database.DisposeAsync();
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

    internal sealed record OutboxRowView(string Id, string Flow, string OperationKey, string MappingRevision, string Connector, string IdempotencyKey, string Payload);

    private sealed class TestEnvironment(string root) : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = "Test";

        public string ApplicationName { get; set; } = "FieldOps.Tests";

        public string ContentRootPath { get; set; } = root;

        public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
    }
}

/// <summary>
/// A connector reader answering every read with one recorded vendor answer (a file of <c>mappings/samples</c>), and
/// remembering what it was asked, so a test can see which reads the router made.
/// </summary>
internal sealed class SampleReader(string answerJson) : IConnectorReader
{
    private readonly List<(string Connection, string Read, string Params)> _reads = [];
    private readonly Queue<ConnectorReadResult> _failures = new();
    private int _inFlight;
    private int _mostAtOnce;
    private int _togetherCount;
    private TaskCompletionSource? _together;

    /// <summary>The next reads fail with these results, in order (then the reader answers again).</summary>
    public void FailNext(params ConnectorReadResult[] failures)
    {
        lock (_reads)
        {
            foreach (var failure in failures)
                _failures.Enqueue(failure);
        }
    }

    public IReadOnlyList<(string Connection, string Read, string Params)> Reads
    {
        get
        {
            lock (_reads)
                return [.. _reads];
        }
    }

    /// <summary>The most reads that were in flight at the same moment.</summary>
    public int MostAtOnce => Volatile.Read(ref _mostAtOnce);

    /// <summary>
    /// From now on a read answers only once <paramref name="count"/> reads are in flight together (or after 10 s), so a
    /// test sees whether events are mapped at the same time.
    /// </summary>
    public void AnswerWhenTogether(int count)
    {
        _togetherCount = count;
        _together = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    public async Task<ConnectorReadResult> ReadAsync(string connection, string read, JsonObject parameters, CancellationToken cancellationToken)
    {
        var inFlight = Interlocked.Increment(ref _inFlight);
        try
        {
            int most;
            while (inFlight > (most = Volatile.Read(ref _mostAtOnce)) && Interlocked.CompareExchange(ref _mostAtOnce, inFlight, most) != most)
            {
            }
            if (_together is { } together)
            {
                if (inFlight >= _togetherCount)
                    together.TrySetResult();
                await Task.WhenAny(together.Task, Task.Delay(TimeSpan.FromSeconds(10), cancellationToken));
            }
            lock (_reads)
            {
                _reads.Add((connection, read, parameters.ToJsonString()));
                if (_failures.TryDequeue(out var failure))
                    return failure;
            }
            return ConnectorReadResult.Of(JsonNode.Parse(answerJson));
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }
}

/// <summary>Options that never change.</summary>
internal sealed class FixedOptionsMonitor<T>(T value) : IOptionsMonitor<T>
{
    public T CurrentValue => value;

    public T Get(string? name) => value;

    public IDisposable? OnChange(Action<T, string?> listener) => null;
}
