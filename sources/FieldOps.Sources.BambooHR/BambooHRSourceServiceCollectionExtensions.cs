using FieldOps.Integration.Core.Sources;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace FieldOps.Sources.BambooHR;

/// <summary>Registers BambooHR as a polled source (time off).</summary>
public static class BambooHRSourceServiceCollectionExtensions
{
    /// <summary>Adds the <c>bamboohr-timeoff</c> poll adapter (<c>Sources:{name}:Poll:Adapter</c>).</summary>
    public static IServiceCollection AddBambooHRSource(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<BambooHRSourcesOptions>().BindConfiguration(BambooHRSourcesOptions.SectionName);
        services.AddHttpClient(BambooHRTimeOffPollAdapter.ClientName);
        services.AddKeyedSingleton<IPollAdapter, BambooHRTimeOffPollAdapter>(BambooHRTimeOffPollAdapter.AdapterName);
        return services;
    }
}
