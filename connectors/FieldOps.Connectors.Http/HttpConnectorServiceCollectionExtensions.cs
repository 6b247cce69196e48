using FieldOps.Integration.Core.Connectors;
using FieldOps.Integration.Core.Credentials;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace FieldOps.Connectors.Http;

/// <summary>Registers the generic HTTP connector.</summary>
public static class HttpConnectorServiceCollectionExtensions
{
    /// <summary>
    /// Adds the <c>http</c> connector (<c>Connectors:Http</c>): its options, an HTTP client with the configured timeout
    /// and no retry or breaker handler (the dispatcher owns those), and one keyed <see cref="ITokenEndpoint"/> per <c>Connectors:Http:Connections:{name}</c> under
    /// <c>http:{name}</c>.
    /// </summary>
    public static IServiceCollection AddHttpConnector(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<HttpConnectorOptions>().BindConfiguration(HttpConnectorOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<HttpConnectorOptions>, HttpConnectorOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.AddHttpClient(HttpConnector.ClientName)
            .ConfigureHttpClient((sp, client) => client.Timeout = sp.GetRequiredService<IOptions<HttpConnectorOptions>>().Value.Timeout);
        services.AddSingleton<IConnector, HttpConnector>();
        ArgumentNullException.ThrowIfNull(configuration);
        var connections = configuration.GetSection($"{HttpConnectorOptions.SectionName}:Connections").GetChildren();
        foreach (var section in connections)
        {
            var name = section.Key;
            services.AddKeyedSingleton<ITokenEndpoint>($"{HttpConnector.ConnectorName}:{name}", (sp, _) =>
                new OAuthRefreshTokenEndpoint(
                    $"{HttpConnector.ConnectorName}:{name}",
                    sp.GetRequiredService<IOptions<HttpConnectorOptions>>().Value.Connections[name],
                    sp.GetRequiredService<IHttpClientFactory>()));
        }
        return services;
    }
}
