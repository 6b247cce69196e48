using FieldOps.Integration.Core.Hydration;
using FieldOps.Integration.Core.Mapping.Loading;
using FieldOps.Integration.Core.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace FieldOps.Integration.Core.Routing;

/// <summary>Registers the declarative mappings and the router.</summary>
public static class MappingServiceCollectionExtensions
{
    /// <summary>
    /// Adds the mapping catalog (the <c>Mappings</c> section; folder <c>Mappings:Path</c>, default <c>mappings</c> under
    /// the content root), hot reload, and the router that turns new inbox events into outbox rows.
    /// </summary>
    public static IServiceCollection AddMappingRouter(this IServiceCollection services)
    {
        services.AddOptions<MappingOptions>().BindConfiguration(MappingOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<CompanyOptions>().BindConfiguration(CompanyOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<Microsoft.Extensions.Options.IValidateOptions<CompanyOptions>, CompanyOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<MappingCatalog>();
        services.TryAddSingleton<Outbox.OutboxSignal>();
        services.TryAddSingleton<RecordHydrators>();
        services.TryAddSingleton<EventEnricher>();
        services.AddInstanceIdentity(); // the router claims new events as this instance
        services.AddSingleton<MappingRouter>();
        services.AddHostedService<MappingWatcher>();
        services.AddHostedService<MappingRouterService>();
        return services;
    }
}
