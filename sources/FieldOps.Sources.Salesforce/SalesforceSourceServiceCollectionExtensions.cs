using FieldOps.Integration.Core.Credentials;
using FieldOps.Integration.Core.Intake;
using FieldOps.Integration.Core.Sources;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace FieldOps.Sources.Salesforce;

/// <summary>Registers Salesforce as a polled source.</summary>
public static class SalesforceSourceServiceCollectionExtensions
{
    /// <summary>The source kind (<c>Sources:{name}:Kind = salesforce</c>): polled only, so its <c>/webhooks/{name}</c> answers 404.</summary>
    public const string Kind = "salesforce";

    /// <summary>
    /// Adds the <c>salesforce</c> poll adapter (SOQL on a SystemModstamp watermark, <c>Sources:{name}:Poll</c>) and, per
    /// such source, the client-credentials token endpoint of the connection <c>salesforce-source:{name}</c>
    /// (<c>Sources:{name}:TokenUrl</c>, <c>ClientId</c>, and the consumer secret in <c>Sources__{name}__Secret</c>).
    /// </summary>
    public static IServiceCollection AddSalesforceSource(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddWebhookSourceKind<PolledSourceKind>(Kind);
        services.AddOptions<SalesforceSourcesOptions>().BindConfiguration(SalesforceSourcesOptions.SectionName);
        services.AddHttpClient(SalesforcePollAdapter.ClientName);
        services.AddKeyedSingleton<IPollAdapter, SalesforcePollAdapter>(SalesforcePollAdapter.AdapterName);
        services.AddSingleton<ISourceTokenEndpointFactory, TokenEndpointFactory>();
        return services;
    }

    private sealed class TokenEndpointFactory : ISourceTokenEndpointFactory
    {
        public ITokenEndpoint? Create(IServiceProvider services, string connection)
        {
            const string prefix = "salesforce-source:";
            if (!connection.StartsWith(prefix, StringComparison.Ordinal))
                return null;
            var name = connection[prefix.Length..];
            var options = services.GetRequiredService<IOptions<SalesforceSourcesOptions>>().Value.GetValueOrDefault(name);
            if (options?.TokenUrl is not { } tokenUrl)
                throw new InvalidOperationException($"Sources:{name}:TokenUrl is required for a polled Salesforce source (your My Domain's /services/oauth2/token).");
            var secret = services.GetRequiredService<IOptions<SourcesOptions>>().Value.GetValueOrDefault(name)?.Secret;
            return new SalesforceTokenEndpoint(connection, tokenUrl, options.ClientId, secret, services.GetRequiredService<IHttpClientFactory>());
        }
    }
}
