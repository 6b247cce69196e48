using FieldOps.Integration.Core.Connectors;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace FieldOps.Connectors.Jobber;

/// <summary>Registers the Jobber connector.</summary>
public static class JobberConnectorServiceCollectionExtensions
{
    /// <summary>
    /// Adds the connector when <c>Connectors:Jobber</c> exists and is enabled (validated at start-up): its GraphQL
    /// client with the bearer token of the source connection <c>jobber:{Source}</c> and a timeout only — the dispatcher
    /// owns retries. Needs an <see cref="Integration.Core.Credentials.IAccessTokenProvider"/> and the Jobber source
    /// that owns that connection.
    /// </summary>
    public static IServiceCollection AddJobberConnector(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddConnectorKind(JobberConnector.ConnectorName, JobberOptions.SectionName);
        if (ConnectorConfiguration.EnabledSection(configuration, JobberOptions.SectionName) is not { } section)
            return services;
        services.AddOptions<JobberOptions>().Bind(section)
            .WithRenamedSettings(configuration, JobberOptions.SectionName, ("BaseAddress", "BaseUrl"))
            .ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IValidateOptions<JobberOptions>, JobberOptionsValidator>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddHttpClient(JobberGraphQL.ClientName)
            .ConfigureHttpClient((sp, client) => client.Timeout = sp.GetRequiredService<IOptions<JobberOptions>>().Value.Timeout);
        services.AddSingleton<JobberGraphQL>();
        services.AddSingleton<JobberConnector>();
        services.AddSingleton<IConnector>(sp => sp.GetRequiredService<JobberConnector>());
        return services;
    }
}
