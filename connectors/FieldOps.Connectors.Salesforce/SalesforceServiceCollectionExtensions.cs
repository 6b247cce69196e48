using FieldOps.Integration.Core.Connectors;
using FieldOps.Integration.Core.Credentials;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Refit;

namespace FieldOps.Connectors.Salesforce;

/// <summary>Registers the Salesforce connector.</summary>
public static class SalesforceServiceCollectionExtensions
{
    /// <summary>
    /// Adds the connector when <c>Connectors:Salesforce</c> exists and is enabled (validated at start-up; otherwise only its
    /// <see cref="ConnectorKind"/>, so it is reported "not configured"), its token call as the keyed
    /// <see cref="ITokenEndpoint"/> <c>salesforce:default</c>, and its Refit client with auth and a timeout only — the
    /// dispatcher owns retries. Needs an <see cref="IAccessTokenProvider"/> and a <see cref="TimeProvider"/>.
    /// </summary>
    public static IServiceCollection AddSalesforceConnector(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddConnectorKind(SalesforceConnector.ConnectorName, SalesforceOptions.SectionName);
        if (ConnectorConfiguration.EnabledSection(configuration, SalesforceOptions.SectionName) is not { } section)
            return services;

        services.AddOptions<SalesforceOptions>()
            .Bind(section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<SalesforceOptions>, SalesforceOptionsValidator>();
        services.AddMetrics();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<SalesforceApiUsage>();
        services.AddKeyedSingleton<ITokenEndpoint, SalesforceTokenEndpoint>(SalesforceConnector.ConnectionName);
        services.AddHttpClient(SalesforceTokenEndpoint.HttpClientName)
            .ConfigureHttpClient((sp, client) => client.Timeout = sp.GetRequiredService<IOptions<SalesforceOptions>>().Value.Timeout);
        services.AddTransient<SalesforceAuthHandler>();
        services.AddRefitGeneratedClient<ISalesforceApi>(SalesforceJson.RefitSettings())
            // A placeholder: the auth handler puts the token's instance_url in front of every request.
            .ConfigureHttpClient((sp, client) =>
            {
                client.BaseAddress = new Uri("https://instance.salesforce.invalid");
                client.Timeout = sp.GetRequiredService<IOptions<SalesforceOptions>>().Value.Timeout;
            })
            .AddHttpMessageHandler<SalesforceAuthHandler>()
            // The connector is a singleton holding its client: pooled connections still get recycled.
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
            .SetHandlerLifetime(System.Threading.Timeout.InfiniteTimeSpan);
        services.AddSingleton<SalesforceConnector>();
        services.AddSingleton<IConnector>(sp => sp.GetRequiredService<SalesforceConnector>());
        services.AddSingleton<IConnectionCheck, SalesforceConnectionCheck>();
        services.AddKeyedSingleton<IConnectorReader, SalesforceReader>(SalesforceConnector.ConnectorName);
        return services;
    }
}
