using FieldOps.Integration.Core.Intake;
using FieldOps.Integration.Core.Sources;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace FieldOps.Sources.BambooHR;

/// <summary>Registers BambooHR as a polled source (time off).</summary>
public static class BambooHRSourceServiceCollectionExtensions
{
    /// <summary>The source kind (<c>Sources:{name}:Kind = bamboohr</c>): polled only, so its <c>/webhooks/{name}</c> answers 404.</summary>
    public const string Kind = "bamboohr";

    /// <summary>Adds the <c>bamboohr-timeoff</c> poll adapter (<c>Sources:{name}:Poll:Adapter</c>).</summary>
    public static IServiceCollection AddBambooHRSource(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddWebhookSourceKind<PolledSourceKind>(Kind);
        services.AddOptions<BambooHRSourcesOptions>().BindConfiguration(BambooHRSourcesOptions.SectionName);
        services.AddHttpClient(BambooHRTimeOffPollAdapter.ClientName);
        services.AddKeyedSingleton<IPollAdapter, BambooHRTimeOffPollAdapter>(BambooHRTimeOffPollAdapter.AdapterName);
        return services;
    }
}
