using Dapper;
using FieldOps.Integration.Core.Dispatch;
using FieldOps.Integration.Core.Intake;
using FieldOps.Integration.Core.Mapping.Loading;
using FieldOps.Integration.Core.Operations;
using FieldOps.Integration.Core.Outbox;
using FieldOps.Integration.Core.Routing;
using FieldOps.Integration.Storage.Operations;
using FieldOps.Integration.Core.Tests.Support;
using FieldOps.Integration.Testing.Stores;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;

namespace FieldOps.Integration.Core.Tests.Operations;

/// <summary>
/// One worker's services over a temp SQLite file as the host composes them — stores, dispatcher, HTTP connector, the
/// operator's services and, when a mappings folder is given, the mapping router — with fast dispatcher timings.
/// </summary>
public sealed class OperationsHarness : IAsyncDisposable
{
    private bool _started;

    public OperationsHarness(TestStore store, IDictionary<string, string?> settings, string? mappingsFolder = null)
    {
        Store = store;
        var values = new Dictionary<string, string?>
        {
            ["Sources:shop:Kind"] = "canonical",
            ["Mappings:Path"] = mappingsFolder ?? "unused",
        };
        foreach (var (key, value) in settings)
            values[key] = value;
        Services = DispatcherHarness.BuildWorker(store.Options, Path.Combine(store.Directory, "keys"), values, (services, _) =>
        {
            services.AddOptions<SourcesOptions>().BindConfiguration(SourcesOptions.SectionName);
            if (mappingsFolder is not null)
            {
                services.AddSingleton<IHostEnvironment>(new HostingEnvironment { ContentRootPath = store.Directory, EnvironmentName = "Test" });
                services.AddMappingRouter();
            }
            services.AddOperationsStore();
            services.AddFieldOpsOperations();
        });
    }

    public TestStore Store { get; }

    public ServiceProvider Services { get; }

    public IOutboxStore Outbox => Services.GetRequiredService<IOutboxStore>();

    public IOperationsStore Operations => Services.GetRequiredService<IOperationsStore>();

    public DeadLetterService DeadLetters => Services.GetRequiredService<DeadLetterService>();

    public RerouteService Reroute => Services.GetRequiredService<RerouteService>();

    public MappingCatalog Mappings => Services.GetRequiredService<MappingCatalog>();

    public MappingRouter Router => Services.GetRequiredService<MappingRouter>();

    public async Task StartDispatcherAsync()
    {
        _started = true;
        await Services.GetRequiredService<OutboxDispatcher>().StartAsync(CancellationToken.None);
    }

    public async Task<string> StateAsync(string id) => (await Outbox.GetStatusAsync(id, CancellationToken.None))!.State;

    public Task WaitForStateAsync(string id, string state) =>
        WaitForAsync(async () => await StateAsync(id) == state, TimeSpan.FromSeconds(10));

    /// <summary>Polls <paramref name="condition"/> every 20 ms; throws after <paramref name="timeout"/>.</summary>
    public static Task WaitForAsync(Func<Task<bool>> condition, TimeSpan timeout) => DispatcherHarness.WaitForAsync(condition, timeout);

    /// <summary>Stores a canonical event from source <c>shop</c> as the intake would; returns its id.</summary>
    public async Task<long> AddEventAsync(string json, string state = "new")
    {
        await using var connection = await Store.Connections.OpenAsync(CancellationToken.None);
        return await connection.ExecuteScalarAsync<long>(
            "INSERT INTO inbox (source, dedup_key, received_at, headers, body, state) VALUES ('shop', @key, 0, '{}', @body, @state) RETURNING id",
            new { key = Guid.NewGuid().ToString("N"), body = System.Text.Encoding.UTF8.GetBytes(json), state });
    }

    /// <summary>Dead-letters a row directly, as the dispatcher would after a final failure.</summary>
    public async Task KillAsync(string id, string errorClass, string connectorText = "refused", long? completedAt = null)
    {
        await using var connection = await Store.Connections.OpenAsync(CancellationToken.None);
        await connection.ExecuteAsync(
            "UPDATE outbox SET state = 'dead', completed_at = @at, attempts = 1, last_outcome = @errorClass, " +
            "dead_reason = @errorClass || ': ' || @connectorText WHERE id = @id",
            new { id, errorClass, connectorText, at = completedAt ?? 1_000 });
        await connection.ExecuteAsync(
            "UPDATE outbox SET state = 'blocked' WHERE partition_key = (SELECT partition_key FROM outbox WHERE id = @id) " +
            "AND seq > (SELECT seq FROM outbox WHERE id = @id) AND state = 'pending'", new { id });
    }

    public async ValueTask DisposeAsync()
    {
        if (_started)
            await Services.GetRequiredService<OutboxDispatcher>().StopAsync(CancellationToken.None);
        await Services.DisposeAsync();
    }
}
