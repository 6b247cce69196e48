using FieldOps.Integration.Core.Credentials;
using FieldOps.Integration.Core.Sources;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace FieldOps.Sources.Rest;

/// <summary>Makes the token endpoint of a REST-polled (Auth OAuth) source's connection on first use.</summary>
internal sealed class RestTokenEndpointFactory : ISourceTokenEndpointFactory
{
    public ITokenEndpoint? Create(IServiceProvider services, string connection)
    {
        const string prefix = "rest:";
        if (!connection.StartsWith(prefix, StringComparison.Ordinal))
            return null;
        var name = connection[prefix.Length..];
        if (!services.GetRequiredService<IOptions<RestSourcesOptions>>().Value.TryGetValue(name, out var rest) || rest.Poll.Auth != RestAuth.OAuth)
            return null;
        var adapter = services.GetRequiredService<IOptions<SourceAdaptersOptions>>().Value.GetValueOrDefault(name) ?? new SourceAdapterOptions();
        return new RestTokenEndpoint(connection,
            adapter.TokenUrl ?? throw new InvalidOperationException($"Sources:{name}:TokenUrl is required for Poll:Auth OAuth."),
            adapter.ClientId, rest.Poll.ClientSecret, adapter.RefreshToken, services.GetRequiredService<IHttpClientFactory>());
    }
}
