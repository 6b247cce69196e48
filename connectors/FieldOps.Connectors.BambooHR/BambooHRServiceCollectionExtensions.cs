using FieldOps.Integration.Core.Connectors;
using FieldOps.Integration.Core.Credentials;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Refit;

namespace FieldOps.Connectors.BambooHR;

/// <summary>Registers the BambooHR connector.</summary>
public static class BambooHRServiceCollectionExtensions
{
    /// <summary>Adds the connector when <c>Connectors:BambooHR</c> in <paramref name="configuration"/> exists and is enabled.</summary>
    public static IServiceCollection AddBambooHRConnector(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddConnectorKind(BambooHRConnector.ConnectorName, BambooHROptions.SectionName);
        if (ConnectorConfiguration.EnabledSection(configuration, BambooHROptions.SectionName) is not { } section)
            return services;

        services.AddOptions<BambooHROptions>().Bind(section)
            .WithRenamedSettings(configuration, BambooHROptions.SectionName, ("RequestTimeout", "Timeout"))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<BambooHROptions>, BambooHROptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);

        if (section.GetValue(nameof(BambooHROptions.AuthMode), BambooHRAuthMode.ApiKey) == BambooHRAuthMode.OAuth)
        {
            services.AddHttpClient(BambooHRTokenEndpoint.HttpClientName)
                .ConfigureHttpClient((sp, c) => c.Timeout = sp.GetRequiredService<IOptions<BambooHROptions>>().Value.Timeout);
            services.AddSingleton<BambooHRTokenEndpoint>();
            services.AddKeyedSingleton<ITokenEndpoint>(BambooHROptions.ConnectionName, (sp, _) => sp.GetRequiredService<BambooHRTokenEndpoint>());
        }

        // Auth and a per-call timeout only: the dispatcher owns retries, breakers and rate limits.
        services.AddTransient<BambooHRAuthHandler>();
        services.AddRefitGeneratedClient<IBambooHRApi>(_ => BambooHRJson.RefitSettings())
            .ConfigureHttpClient((sp, c) =>
            {
                var options = sp.GetRequiredService<IOptions<BambooHROptions>>().Value;
                c.BaseAddress = options.BaseUrl;
                c.Timeout = options.Timeout;
            })
            .AddHttpMessageHandler<BambooHRAuthHandler>();

        services.AddSingleton<BambooHRClient>();
        services.AddSingleton<BambooHREmployeeResolver>();
        services.AddSingleton(sp => new BambooHRConnector(
            sp.GetRequiredService<BambooHRClient>(), sp.GetRequiredService<BambooHREmployeeResolver>(), sp.GetRequiredService<IOptions<BambooHROptions>>()));
        services.AddSingleton<IConnector>(sp => sp.GetRequiredService<BambooHRConnector>());
        services.AddKeyedSingleton<IConnector>(BambooHRConnector.ConnectorName, (sp, _) => sp.GetRequiredService<BambooHRConnector>());
        services.AddSingleton<IConnectionCheck, BambooHRConnectionCheck>();
        return services;
    }
}
