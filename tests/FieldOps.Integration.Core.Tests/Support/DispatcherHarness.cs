using FieldOps.Connectors.Http;
using FieldOps.Integration.Core.Credentials;
using FieldOps.Integration.Core.Dispatch;
using FieldOps.Integration.Core.Outbox;
using FieldOps.Integration.Storage;
using FieldOps.Integration.Testing.Stores;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FieldOps.Integration.Core.Tests.Support;

/// <summary>
/// The real dispatcher, stores and HTTP connector over a temp SQLite file, configured like the host (fast timings),
/// for tests that drive a WireMock target. One harness is one worker process's services.
/// </summary>
public sealed class DispatcherHarness : IAsyncDisposable
{
    public DispatcherHarness(TestStore store, IDictionary<string, string?> settings, Action<IServiceCollection, IConfiguration>? more = null)
        : this(store.Options, Path.Combine(store.Directory, "keys"), settings, more) => Store = store;

    /// <summary>A worker on any provider's database (<paramref name="store"/>), its keys in <paramref name="keysDirectory"/>.</summary>
    public DispatcherHarness(StoreOptions store, string keysDirectory, IDictionary<string, string?> settings, Action<IServiceCollection, IConfiguration>? more = null) =>
        Services = BuildWorker(store, keysDirectory, settings, more);

    /// <summary>
    /// One worker's services as the host composes them — store, dispatch stores, credentials, the HTTP connector and the
    /// dispatcher, with fast timings — plus what <paramref name="more"/> adds. <paramref name="settings"/> win.
    /// </summary>
    public static ServiceProvider BuildWorker(StoreOptions store, string keysDirectory, IDictionary<string, string?> settings,
        Action<IServiceCollection, IConfiguration>? more = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        var values = new Dictionary<string, string?>
        {
            ["Store:Provider"] = store.Provider.ToString(),
            ["Store:ConnectionString"] = store.ConnectionString,
            ["Store:SqliteSynchronous"] = "Normal",
            ["Credentials:KeysDirectory"] = keysDirectory,
            ["Dispatcher:PollInterval"] = "00:00:00.020",
            ["Dispatcher:BaseDelay"] = "00:00:00.020",
            ["Dispatcher:MaxDelay"] = "00:00:00.100",
            ["Dispatcher:ShutdownTimeout"] = "00:00:02",
            ["Dispatcher:LeaseDuration"] = "00:00:30",
            ["Connectors:Http:Timeout"] = "00:00:30", // generous: a first call under a loaded CI machine can take seconds; timeout tests set their own
        };
        foreach (var (key, value) in settings)
            values[key] = value;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Warning));
        services.AddFieldOpsStore();
        services.AddDispatchStores();
        services.AddFieldOpsCredentials();
        services.AddHttpConnector(configuration);
        services.AddOutboxDispatcher();
        more?.Invoke(services, configuration);
        return services.BuildServiceProvider();
    }

    public TestStore? Store { get; }

    public ServiceProvider Services { get; }

    internal OutboxDispatcher Dispatcher => Services.GetRequiredService<OutboxDispatcher>();

    public IOutboxStore Outbox => Services.GetRequiredService<IOutboxStore>();

    public IAccessTokenProvider Tokens => Services.GetRequiredService<IAccessTokenProvider>();

    public Task StartAsync() => Dispatcher.StartAsync(CancellationToken.None);

    /// <summary>Polls <paramref name="condition"/> every 20 ms; throws after <paramref name="timeout"/>.</summary>
    public static async Task WaitForAsync(Func<Task<bool>> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException("The expected state was not reached in time.");
            await Task.Delay(20);
        }
    }

    public async Task<string> StateAsync(string id) => (await Outbox.GetStatusAsync(id, CancellationToken.None))!.State;

    public async ValueTask DisposeAsync()
    {
        await Dispatcher.StopAsync(CancellationToken.None);
        await Services.DisposeAsync();
    }
}
