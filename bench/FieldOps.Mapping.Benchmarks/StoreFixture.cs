using System.Text;
using Dapper;
using FieldOps.Bench;
using FieldOps.Integration.Core.Hydration;
using FieldOps.Integration.Core.Inbox;
using FieldOps.Integration.Core.Intake;
using FieldOps.Integration.Core.Mapping.Loading;
using FieldOps.Integration.Core.Routing;
using FieldOps.Integration.Storage;
using FieldOps.Integration.Storage.CrossReferences;
using FieldOps.Integration.Storage.Inbox;
using FieldOps.Integration.Storage.Migrations;
using FieldOps.Integration.Storage.Outbox;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace FieldOps.Mapping.Benchmarks;

/// <summary>A fresh SQLite store (synchronous=FULL, the default) in a temporary folder, with the real router over it.</summary>
internal sealed class StoreFixture : IAsyncDisposable
{
    private readonly string _directory;

    private StoreFixture(string directory, SqliteConnectionFactory connections, InboxStore inbox, MappingRouter router)
    {
        _directory = directory;
        Connections = connections;
        Inbox = inbox;
        Router = router;
    }

    public SqliteConnectionFactory Connections { get; }

    public InboxStore Inbox { get; }

    public MappingRouter Router { get; }

    public static async Task<StoreFixture> CreateAsync(MappingOptions mapping)
    {
        var directory = Path.Combine(Path.GetTempPath(), "fieldops-bench-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var store = new StoreOptions { ConnectionString = $"Data Source={Path.Combine(directory, "fieldops.db")}" };
        var connections = new SqliteConnectionFactory(store);
        await new MigrationRunner(connections, TimeProvider.System, NullLogger<MigrationRunner>.Instance).MigrateAsync(CancellationToken.None);
        var inbox = new InboxStore(connections, store, NullLogger<InboxStore>.Instance);
        var options = Options.Create(mapping);
        var catalog = new MappingCatalog(options, new Environment(directory), NullLogger<MappingCatalog>.Instance);
        var sources = new SourcesOptions { ["jobber-main"] = new SourceOptions { Kind = "jobber" } };
        var router = new MappingRouter(inbox, new RoutingStore(connections, TimeProvider.System), new CrossReferenceStore(connections, TimeProvider.System),
            catalog, new RecordHydrators(new ServiceCollection().BuildServiceProvider()), new Monitor(sources), options, TimeProvider.System, NullLogger<MappingRouter>.Instance);
        return new StoreFixture(directory, connections, inbox, router);
    }

    public async Task<long> AppendAsync(string json) =>
        (await Inbox.AppendAsync(new NewInboxEvent("jobber-main", Guid.NewGuid().ToString("N"), TimeProvider.System.GetUtcNow(), "application/json",
            new Dictionary<string, string>(), Encoding.UTF8.GetBytes(json)), CancellationToken.None)).EventId;

    /// <summary>Appends the bodies as concurrent webhooks would (the inbox group-commits them).</summary>
    public async Task AppendAllAsync(IReadOnlyList<string> bodies)
    {
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, 32).Select(async _ =>
        {
            int n;
            while ((n = Interlocked.Increment(ref next)) < bodies.Count)
                await AppendAsync(bodies[n]);
        }));
    }

    /// <summary>Every offered event routed (none stale, unmatched or parked) and exactly the planned outbox rows written.</summary>
    public async Task RequireAllRoutedAsync(int events, int operationsPerEvent)
    {
        await using var connection = await Connections.OpenAsync(CancellationToken.None);
        var states = (await connection.QueryAsync<(string State, long Count)>("SELECT state, COUNT(*) FROM inbox GROUP BY state"))
            .ToDictionary(s => s.State, s => s.Count);
        var summary = string.Join(", ", states.Select(s => $"{s.Key} {s.Value}"));
        WorkCheck.Require(states.Values.Sum() == events, $"router: {states.Values.Sum()} inbox events stored, {events} offered ({summary})");
        WorkCheck.Require(states.GetValueOrDefault("routed") == events, $"router: {states.GetValueOrDefault("routed")} of {events} events routed ({summary})");
        var rows = await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM outbox");
        var perEvent = await connection.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM (SELECT inbox_event_id FROM outbox GROUP BY inbox_event_id HAVING COUNT(*) = @operationsPerEvent)", new { operationsPerEvent });
        WorkCheck.Require(rows == (long)events * operationsPerEvent && perEvent == events,
            $"router: {rows} outbox rows for {events} events, expected {events * operationsPerEvent} ({perEvent} events with {operationsPerEvent} rows each)");
    }

    public async Task<Dictionary<long, long>> RoutedAtAsync()
    {
        await using var connection = await Connections.OpenAsync(CancellationToken.None);
        var rows = await connection.QueryAsync<(long Id, long RoutedAt)>("SELECT id, routed_at FROM inbox WHERE state = 'routed'");
        return rows.ToDictionary(r => r.Id, r => r.RoutedAt);
    }

    public async Task<long> OutboxCountAsync()
    {
        await using var connection = await Connections.OpenAsync(CancellationToken.None);
        return await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM outbox");
    }

    public async ValueTask DisposeAsync()
    {
        await Inbox.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    private sealed class Environment(string root) : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = "Benchmark";

        public string ApplicationName { get; set; } = "FieldOps.Mapping.Benchmarks";

        public string ContentRootPath { get; set; } = root;

        public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
    }

    private sealed class Monitor(SourcesOptions value) : IOptionsMonitor<SourcesOptions>
    {
        public SourcesOptions CurrentValue => value;

        public SourcesOptions Get(string? name) => value;

        public IDisposable? OnChange(Action<SourcesOptions, string?> listener) => null;
    }
}
