using FieldOps.Integration.Core.Connectors;
using FieldOps.Integration.Core.Credentials;
using FieldOps.Integration.Storage;
using FieldOps.Integration.Testing.Stores;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace FieldOps.Connectors.Http.Tests;

/// <summary>Builds the connector the way the host does: configuration, real token store (temp SQLite), keyed token endpoints.</summary>
internal static class HttpConnectorFactory
{
    public static ServiceProvider Build(TestStore store, IDictionary<string, string?> settings, TimeProvider? time = null)
    {
        var values = new Dictionary<string, string?>
        {
            ["Store:ConnectionString"] = store.ConnectionString,
            ["Credentials:KeysDirectory"] = Path.Combine(store.Directory, "keys"),
        };
        foreach (var (key, value) in settings)
            values[key] = value;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging();
        services.AddSingleton(time ?? TimeProvider.System);
        services.AddFieldOpsStore();
        services.AddDispatchStores();
        services.AddFieldOpsCredentials();
        services.AddHttpConnector(configuration);
        return services.BuildServiceProvider();
    }

    public static IConnector Connector(this IServiceProvider services) => services.GetRequiredService<IEnumerable<IConnector>>().Single(c => c.Name == "http");
}
