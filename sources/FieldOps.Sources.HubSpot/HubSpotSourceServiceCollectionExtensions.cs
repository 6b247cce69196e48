using FieldOps.Integration.Core.Hydration;
using FieldOps.Integration.Core.Intake;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace FieldOps.Sources.HubSpot;

/// <summary>Registers HubSpot as a webhook source.</summary>
public static class HubSpotSourceServiceCollectionExtensions
{
    /// <summary>The source kind: <c>Sources:{name}:Kind = hubspot</c>.</summary>
    public const string Kind = HubSpotWebhookSourceKind.Kind;

    /// <summary>
    /// Adds the <c>hubspot</c> source: the v3 signature, one inbox event per element of a webhook batch, and hydration
    /// of ticket events (a keyed <see cref="IRecordHydrator"/>).
    /// </summary>
    public static IServiceCollection AddHubSpotSource(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddWebhookSourceKind<HubSpotWebhookSourceKind>(Kind);
        services.AddOptions<HubSpotSourcesOptions>().BindConfiguration(HubSpotSourcesOptions.SectionName);
        services.AddHttpClient(HubSpotHydrator.ClientName).ConfigureHttpClient(c => c.Timeout = TimeSpan.FromSeconds(30));
        services.AddKeyedSingleton<IRecordHydrator, HubSpotHydrator>(Kind);
        return services;
    }
}
