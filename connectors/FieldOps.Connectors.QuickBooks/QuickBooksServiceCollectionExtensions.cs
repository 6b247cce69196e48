using FieldOps.Integration.Core.Connectors;
using FieldOps.Integration.Core.Credentials;
using FieldOps.Integration.Core.CrossReferences;
using FieldOps.Integration.Core.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Refit;

namespace FieldOps.Connectors.QuickBooks;

/// <summary>Registers the QuickBooks Online connector.</summary>
public static class QuickBooksServiceCollectionExtensions
{
    /// <summary>Adds the connector when <c>Connectors:QuickBooks</c> in <paramref name="configuration"/> exists and is enabled.</summary>
    public static IServiceCollection AddQuickBooksConnector(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddConnectorKind(QuickBooksConnector.ConnectorName, QuickBooksOptions.SectionName);
        if (ConnectorConfiguration.EnabledSection(configuration, QuickBooksOptions.SectionName) is not { } section)
            return services;

        services.AddOptions<QuickBooksOptions>().Bind(section)
            .WithRenamedSettings(configuration, QuickBooksOptions.SectionName, ("RequestTimeout", "Timeout"))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<QuickBooksOptions>, QuickBooksOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);

        services.AddHttpClient(QuickBooksTokenEndpoint.HttpClientName)
            .ConfigureHttpClient((sp, c) => c.Timeout = sp.GetRequiredService<IOptions<QuickBooksOptions>>().Value.Timeout);
        services.AddSingleton<QuickBooksTokenEndpoint>();
        services.AddKeyedSingleton<ITokenEndpoint>(QuickBooksOptions.ConnectionName, (sp, _) => sp.GetRequiredService<QuickBooksTokenEndpoint>());

        // Auth and a per-call timeout only: the dispatcher owns retries, breakers and rate limits.
        services.AddTransient<QuickBooksAuthHandler>();
        services.AddRefitGeneratedClient<IQuickBooksApi>(_ => QuickBooksJson.RefitSettings())
            .ConfigureHttpClient((sp, c) =>
            {
                var options = sp.GetRequiredService<IOptions<QuickBooksOptions>>().Value;
                c.BaseAddress = options.BaseUrl;
                c.Timeout = options.Timeout;
            })
            .AddHttpMessageHandler<QuickBooksAuthHandler>();
        services.AddRefitGeneratedClient<IQuickBooksSendApi>(_ => QuickBooksJson.RefitSettings())
            .ConfigureHttpClient((sp, c) =>
            {
                var options = sp.GetRequiredService<IOptions<QuickBooksOptions>>().Value;
                c.BaseAddress = options.BaseUrl;
                c.Timeout = options.Timeout;
            })
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.Zero })
            .AddHttpMessageHandler<QuickBooksAuthHandler>();

        services.AddSingleton<QuickBooksClient>();
        services.AddSingleton<QuickBooksCustomerRefresh>();
        services.AddSingleton<QuickBooksCustomerUpsert>();
        services.AddSingleton<QuickBooksItemResolver>();
        services.AddSingleton<QuickBooksCompanySetupReader>();
        services.AddSingleton<QuickBooksTaxRates>();
        services.AddSingleton(sp => new QuickBooksConnector(
            sp.GetRequiredService<QuickBooksClient>(), sp.GetRequiredService<QuickBooksCustomerUpsert>(),
            sp.GetRequiredService<QuickBooksItemResolver>(), sp.GetRequiredService<IOptions<QuickBooksOptions>>(),
            sp.GetRequiredService<ICrossReferenceStore>(), sp.GetRequiredService<QuickBooksCompanySetupReader>(),
            sp.GetRequiredService<QuickBooksTaxRates>()));
        services.AddSingleton<IConnector>(sp => sp.GetRequiredService<QuickBooksConnector>());
        services.AddKeyedSingleton<IConnector>(QuickBooksConnector.ConnectorName, (sp, _) => sp.GetRequiredService<QuickBooksConnector>());
        services.AddSingleton<IConnectionCheck, QuickBooksConnectionCheck>();
        // The company's setup against ours (Tax:Mode, Company:Currency): bound here too, so the check sees the same
        // Company section the mappings do even where no router is composed.
        services.AddOptions<CompanyOptions>().BindConfiguration(CompanyOptions.SectionName);
        services.AddHealthChecks().AddCheck<QuickBooksCompanyHealthCheck>(QuickBooksCompanyHealthCheck.Name, tags: ["ready"]);
        return services;
    }
}
