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
    /// Adds the <c>http</c> connector when <c>Connectors:Http</c> exists and is enabled: its options, an HTTP client with the configured timeout
    /// and no retry or breaker handler (the dispatcher owns those), and one keyed <see cref="ITokenEndpoint"/> per <c>Connectors:Http:Connections:{name}</c> under
    /// <c>http:{name}</c>.
    /// </summary>
    public static IServiceCollection AddHttpConnector(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddConnectorKind(HttpConnector.ConnectorName, HttpConnectorOptions.SectionName);
        if (ConnectorConfiguration.EnabledSection(configuration, HttpConnectorOptions.SectionName) is not { } section)
            return services;

        services.AddOptions<HttpConnectorOptions>().Bind(section).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<HttpConnectorOptions>, HttpConnectorOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.AddHttpClient(HttpConnector.ClientName)
            .ConfigureHttpClient((sp, client) => client.Timeout = sp.GetRequiredService<IOptions<HttpConnectorOptions>>().Value.Timeout);
        services.AddSingleton<IConnector, HttpConnector>();
        foreach (var connection in section.GetSection("Connections").GetChildren())
        {
            var name = connection.Key;
            services.AddKeyedSingleton<ITokenEndpoint>($"{HttpConnector.ConnectorName}:{name}", (sp, _) =>
                new OAuthRefreshTokenEndpoint(
                    $"{HttpConnector.ConnectorName}:{name}",
                    sp.GetRequiredService<IOptions<HttpConnectorOptions>>().Value.Connections[name],
                    sp.GetRequiredService<IHttpClientFactory>()));
        }
        return services;
    }
}
