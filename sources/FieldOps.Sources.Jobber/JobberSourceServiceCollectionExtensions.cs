using FieldOps.Integration.Core.Credentials;
using FieldOps.Integration.Core.Intake;
using FieldOps.Integration.Core.Sources;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace FieldOps.Sources.Jobber;

/// <summary>Registers the Jobber source adapter.</summary>
public static class JobberSourceServiceCollectionExtensions
{
    /// <summary>The HTTP timeout of one GraphQL or token call.</summary>
    public static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Adds hydration for <c>Kind = jobber</c> sources (a keyed <see cref="IRecordHydrator"/> <c>jobber</c>) and, for
    /// each such source in <paramref name="configuration"/>, a keyed <see cref="ITokenEndpoint"/> <c>jobber:{name}</c>
    /// (token URL <c>Sources:{name}:TokenUrl</c>, default <c>{ApiBaseUrl}/oauth/token</c>; client id
    /// <c>Sources:{name}:ClientId</c>; client secret = the webhook secret <c>Sources:{name}:Secret</c>; first refresh
    /// token <c>Sources:{name}:RefreshToken</c>, from the environment).
    /// </summary>
    public static IServiceCollection AddJobberSource(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.TryAddSingleton(TimeProvider.System);
        services.AddHttpClient(JobberGraphQLClient.ClientName).ConfigureHttpClient(c => c.Timeout = CallTimeout);
        services.TryAddSingleton<JobberGraphQLClient>();
        services.AddKeyedSingleton<IRecordHydrator, JobberHydrator>(SourceKinds.Jobber);
        foreach (var section in configuration.GetSection(SourcesOptions.SectionName).GetChildren())
        {
            if (!string.Equals(section["Kind"], SourceKinds.Jobber, StringComparison.OrdinalIgnoreCase))
                continue;
            var name = section.Key;
            var connection = JobberGraphQLClient.Connection(name);
            services.AddKeyedSingleton<ITokenEndpoint>(connection, (sp, _) =>
            {
                var source = sp.GetRequiredService<IOptions<SourcesOptions>>().Value[name];
                var adapter = sp.GetRequiredService<IOptions<SourceAdaptersOptions>>().Value.GetValueOrDefault(name) ?? new SourceAdapterOptions();
                var tokenUrl = adapter.TokenUrl
                    ?? (source.ApiBaseUrl is { } api ? new Uri(new Uri(api.AbsoluteUri.TrimEnd('/') + "/"), "oauth/token") : null)
                    ?? throw new InvalidOperationException($"Sources:{name}: set ApiBaseUrl or TokenUrl for Jobber's token endpoint.");
                return new JobberTokenEndpoint(connection, tokenUrl, adapter.ClientId, source.Secret, adapter.RefreshToken, sp.GetRequiredService<IHttpClientFactory>());
            });
        }
        return services;
    }
}
