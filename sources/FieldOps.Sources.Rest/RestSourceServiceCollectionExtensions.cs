using FieldOps.Integration.Core.Credentials;
using FieldOps.Integration.Core.Sources;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace FieldOps.Sources.Rest;

/// <summary>Registers the generic REST poll adapter.</summary>
public static class RestSourceServiceCollectionExtensions
{
    /// <summary>
    /// Adds the <c>rest</c> poll adapter (keyed <see cref="IPollAdapter"/>) reading <c>Sources:{name}:Poll</c>, and for
    /// each source polled with <c>Auth: OAuth</c> a keyed <see cref="ITokenEndpoint"/> <c>rest:{name}</c> (token URL
    /// <c>Sources:{name}:TokenUrl</c>, client id <c>Sources:{name}:ClientId</c>, secret <c>Sources:{name}:Poll:ClientSecret</c>).
    /// </summary>
    public static IServiceCollection AddRestSource(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<RestSourcesOptions>().BindConfiguration(RestSourcesOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RestSourcesOptions>, RestSourcesOptionsValidator>());
        services.AddHttpClient(RestPollAdapter.ClientName);
        services.AddKeyedSingleton<IPollAdapter, RestPollAdapter>(RestPollAdapter.AdapterName);
        foreach (var section in configuration.GetSection(SourceAdaptersOptions.SectionName).GetChildren())
        {
            if (!string.Equals(section["Poll:Adapter"], RestPollAdapter.AdapterName, StringComparison.OrdinalIgnoreCase)
                || !string.Equals(section["Poll:Auth"], nameof(RestAuth.OAuth), StringComparison.OrdinalIgnoreCase))
                continue;
            var name = section.Key;
            services.AddKeyedSingleton<ITokenEndpoint>(RestPollAdapter.Connection(name), (sp, _) =>
            {
                var adapter = sp.GetRequiredService<IOptions<SourceAdaptersOptions>>().Value[name];
                var poll = sp.GetRequiredService<IOptions<RestSourcesOptions>>().Value[name].Poll;
                return new RestTokenEndpoint(RestPollAdapter.Connection(name),
                    adapter.TokenUrl ?? throw new InvalidOperationException($"Sources:{name}:TokenUrl is required for Poll:Auth OAuth."),
                    adapter.ClientId, poll.ClientSecret, adapter.RefreshToken, sp.GetRequiredService<IHttpClientFactory>());
            });
        }
        return services;
    }
}
