using FieldOps.Integration.Core.Sources;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace FieldOps.Sources.Rest;

/// <summary>Registers the generic REST poll adapter.</summary>
public static class RestSourceServiceCollectionExtensions
{
    /// <summary>
    /// Adds the <c>rest</c> poll adapter (keyed <see cref="IPollAdapter"/>) reading <c>Sources:{name}:Poll</c>, and for
    /// each source polled with <c>Auth: OAuth</c> a token endpoint for the connection <c>rest:{name}</c>, made on first use (token URL
    /// <c>Sources:{name}:TokenUrl</c>, client id <c>Sources:{name}:ClientId</c>, secret <c>Sources:{name}:Poll:ClientSecret</c>).
    /// </summary>
    public static IServiceCollection AddRestSource(this IServiceCollection services)
    {
        services.AddOptions<RestSourcesOptions>().BindConfiguration(RestSourcesOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RestSourcesOptions>, RestSourcesOptionsValidator>());
        services.AddHttpClient(RestPollAdapter.ClientName);
        services.AddKeyedSingleton<IPollAdapter, RestPollAdapter>(RestPollAdapter.AdapterName);
        services.AddSingleton<ISourceTokenEndpointFactory, RestTokenEndpointFactory>();
        return services;
    }
}
