using FieldOps.Integration.Core.Hydration;
using FieldOps.Integration.Core.Intake;
using FieldOps.Integration.Core.Sources;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace FieldOps.Sources.Jobber;

/// <summary>Registers the Jobber source adapter.</summary>
public static class JobberSourceServiceCollectionExtensions
{
    /// <summary>The HTTP timeout of one GraphQL or token call.</summary>
    public static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Adds the <c>jobber</c> webhook source kind (<see cref="JobberWebhookSourceKind"/>), hydration for <c>Kind = jobber</c> sources, the <c>jobber</c> catch-up sweep (<c>Sources:{name}:Poll:Adapter = jobber</c>) (a keyed <see cref="IRecordHydrator"/> <c>jobber</c>) and, for
    /// each such source, a token endpoint for the connection <c>jobber:{name}</c>, made on first use
    /// (token URL <c>Sources:{name}:TokenUrl</c>, default <c>{ApiBaseUrl}/oauth/token</c>; client id
    /// <c>Sources:{name}:ClientId</c>; client secret = the webhook secret <c>Sources:{name}:Secret</c>; first refresh
    /// token <c>Sources:{name}:RefreshToken</c>, from the environment).
    /// </summary>
    public static IServiceCollection AddJobberSource(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddHttpClient(JobberGraphQLClient.ClientName).ConfigureHttpClient(c => c.Timeout = CallTimeout);
        services.TryAddSingleton<JobberGraphQLClient>();
        services.AddWebhookSourceKind<JobberWebhookSourceKind>(JobberWebhookSourceKind.Kind);
        services.AddKeyedSingleton<IRecordHydrator, JobberHydrator>(JobberWebhookSourceKind.Kind);
        services.AddOptions<JobberSourcesOptions>().BindConfiguration(JobberSourcesOptions.SectionName);
        services.AddKeyedSingleton<IPollAdapter, JobberPollAdapter>(JobberPollAdapter.AdapterName);
        services.AddSingleton<ISourceTokenEndpointFactory, JobberTokenEndpointFactory>();
        return services;
    }
}
