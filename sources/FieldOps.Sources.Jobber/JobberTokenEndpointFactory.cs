using FieldOps.Integration.Core.Credentials;
using FieldOps.Integration.Core.Intake;
using FieldOps.Integration.Core.Sources;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace FieldOps.Sources.Jobber;

/// <summary>Makes the token endpoint of a Jobber source's connection on first use.</summary>
internal sealed class JobberTokenEndpointFactory : ISourceTokenEndpointFactory
{
    public ITokenEndpoint? Create(IServiceProvider services, string connection)
    {
        const string prefix = "jobber:";
        if (!connection.StartsWith(prefix, StringComparison.Ordinal))
            return null;
        var name = connection[prefix.Length..];
        if (!services.GetRequiredService<IOptions<SourcesOptions>>().Value.TryGetValue(name, out var source)
            || !string.Equals(source.Kind, JobberWebhookSourceKind.Kind, StringComparison.OrdinalIgnoreCase))
            return null;
        var adapter = services.GetRequiredService<IOptions<SourceAdaptersOptions>>().Value.GetValueOrDefault(name) ?? new SourceAdapterOptions();
        var tokenUrl = adapter.TokenUrl
            ?? (source.ApiBaseUrl is { } api ? new Uri(new Uri(api.AbsoluteUri.TrimEnd('/') + "/"), "oauth/token") : null)
            ?? throw new InvalidOperationException($"Sources:{name}: set ApiBaseUrl or TokenUrl for Jobber's token endpoint.");
        return new JobberTokenEndpoint(connection, tokenUrl, adapter.ClientId, source.Secret, adapter.RefreshToken, services.GetRequiredService<IHttpClientFactory>());
    }
}
