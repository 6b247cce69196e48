using FieldOps.Integration.Core.Connectors;
using FieldOps.Integration.Core.Credentials;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Refit;

namespace FieldOps.Connectors.HubSpot;

/// <summary>Registers the HubSpot connector.</summary>
public static class HubSpotServiceCollectionExtensions
{
    /// <summary>
    /// Adds the connector when <c>Connectors:HubSpot</c> exists and is enabled (validated at start-up; otherwise only its
    /// <see cref="ConnectorKind"/>, so it is reported "not configured"), its OAuth refresh as the
    /// keyed <see cref="ITokenEndpoint"/> <c>hubspot:default</c> (only in AuthMode OAuth), and its Refit client with auth
    /// and a timeout only — the dispatcher owns retries. Needs an <see cref="IAccessTokenProvider"/>.
    /// </summary>
    public static IServiceCollection AddHubSpotConnector(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddConnectorKind(HubSpotConnector.ConnectorName, HubSpotOptions.SectionName);
        if (ConnectorConfiguration.EnabledSection(configuration, HubSpotOptions.SectionName) is not { } section)
            return services;

        services.AddOptions<HubSpotOptions>()
            .Bind(section)
            .WithRenamedSettings(configuration, HubSpotOptions.SectionName, ("BaseAddress", "BaseUrl"))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<HubSpotOptions>, HubSpotOptionsValidator>();
        services.AddMetrics();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<HubSpotRateLimits>();
        // Private-app mode has no token call: the provider then does not know the connection, and a 401 is final.
        services.AddKeyedSingleton<ITokenEndpoint>(HubSpotConnector.ConnectionName, (sp, _) =>
            sp.GetRequiredService<IOptions<HubSpotOptions>>().Value.AuthMode == HubSpotAuthMode.OAuth
                ? ActivatorUtilities.CreateInstance<HubSpotTokenEndpoint>(sp)
                : null!);
        services.AddHttpClient(HubSpotTokenEndpoint.HttpClientName)
            .ConfigureHttpClient((sp, client) => client.Timeout = sp.GetRequiredService<IOptions<HubSpotOptions>>().Value.Timeout);
        services.AddTransient<HubSpotAuthHandler>();
        services.AddRefitGeneratedClient<IHubSpotApi>(HubSpotJson.RefitSettings())
            .ConfigureHttpClient((sp, client) =>
            {
                var o = sp.GetRequiredService<IOptions<HubSpotOptions>>().Value;
                client.BaseAddress = o.BaseUrl;
                client.Timeout = o.Timeout;
            })
            .AddHttpMessageHandler<HubSpotAuthHandler>()
            // The connector is a singleton holding its client: pooled connections still get recycled.
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
            .SetHandlerLifetime(System.Threading.Timeout.InfiniteTimeSpan);
        services.AddSingleton<HubSpotConnector>();
        services.AddSingleton<IConnector>(sp => sp.GetRequiredService<HubSpotConnector>());
        services.AddSingleton<IConnectionCheck, HubSpotConnectionCheck>();
        services.AddKeyedSingleton<IConnectorReader, HubSpotReader>(HubSpotConnector.ConnectorName);
        return services;
    }
}
