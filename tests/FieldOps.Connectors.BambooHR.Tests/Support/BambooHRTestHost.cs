using FieldOps.Integration.Testing.Credentials;
using FieldOps.Integration.Core.Credentials;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace FieldOps.Connectors.BambooHR.Tests.Support;

/// <summary>The connector as the host registers it, pointed at a WireMock server.</summary>
internal sealed class BambooHRTestHost : IDisposable
{
    public const string ApiKey = "0123456789abcdef0123456789abcdef01234567";

    public BambooHRTestHost(string serverUrl, IDictionary<string, string?>? extra = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Connectors:BambooHR:BaseUrl"] = serverUrl,
            ["Connectors:BambooHR:ApiKey"] = ApiKey,
            ["Connectors:BambooHR:ClientId"] = "example-client-id",
            ["Connectors:BambooHR:ClientSecret"] = "example-client-secret",
            ["Connectors:BambooHR:Timeout"] = "00:00:30", // generous: a first call on a loaded CI machine can take seconds; timeout tests set their own
            ["Connectors:BambooHR:Employees:T-117"] = "117",
        };
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
            settings[key] = value;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging();
        services.AddSingleton<IAccessTokenProvider>(new FixedAccessTokenProvider());
        services.AddBambooHRConnector(configuration);
        Services = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
    }

    public ServiceProvider Services { get; }

    public BambooHRConnector Connector => Services.GetRequiredService<BambooHRConnector>();

    public void Dispose() => Services.Dispose();
}
