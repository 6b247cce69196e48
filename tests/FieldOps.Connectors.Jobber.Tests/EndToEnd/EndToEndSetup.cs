using FieldOps.Integration.Core.Credentials;
using FieldOps.Integration.Testing.Credentials;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace FieldOps.Connectors.Jobber.Tests.EndToEnd;

/// <summary>What the Jobber end-to-end tests share: the Jobber connector with a fixed token.</summary>
internal static class EndToEndSetup
{
    /// <summary>
    /// The Jobber connector on <paramref name="jobberUrl"/> (a WireMock root), borrowing the source <c>jobber</c>'s
    /// connection with a fixed token; <paramref name="timeout"/> is its HTTP client's timeout (default 30 s).
    /// </summary>
    public static IServiceCollection AddJobberConnectorWithFixedToken(this IServiceCollection services, string jobberUrl, string? timeout = null)
    {
        services.AddKeyedSingleton<ITokenEndpoint>("jobber:jobber", new StaticTokenEndpoint());
        return services.AddJobberConnector(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Connectors:Jobber:BaseUrl"] = jobberUrl.TrimEnd('/') + "/api/",
            ["Connectors:Jobber:Timeout"] = timeout ?? "00:00:30",
        }).Build());
    }
}
