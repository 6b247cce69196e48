using System.Net.Http.Headers;
using FieldOps.Integration.Core.Credentials;
using Microsoft.Extensions.Options;

namespace FieldOps.Connectors.Salesforce;

/// <summary>
/// Puts the org's <c>instance_url</c> in front of each request and the connection's bearer token on it, and reads the
/// usage header from each response. It never retries: a 401 goes back to the connector, which says
/// <c>AuthExpired</c>, and the dispatcher has the credentials store mint a new token (one at a time per org).
/// </summary>
internal sealed class SalesforceAuthHandler(IAccessTokenProvider tokens, SalesforceApiUsage usage, IOptions<SalesforceOptions> options)
    : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var token = await tokens.GetAccessTokenAsync(SalesforceConnector.ConnectionName, cancellationToken).ConfigureAwait(false);
        var instance = token.Properties.TryGetValue(SalesforceTokenEndpoint.InstanceUrlProperty, out var url) && Uri.TryCreate(url, UriKind.Absolute, out var parsed)
            ? parsed
            : options.Value.LoginUrl;
        request.RequestUri = new Uri(instance, request.RequestUri!.PathAndQuery);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token.Value);
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        usage.Observe(response);
        return response;
    }
}
