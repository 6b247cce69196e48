using System.Net.Http.Headers;
using FieldOps.Integration.Core.Credentials;
using Microsoft.Extensions.Options;

namespace FieldOps.Connectors.HubSpot;

/// <summary>
/// Puts the bearer token on each request — the private-app token as configured, or an OAuth token from the
/// credentials store, which refreshes it before <c>expires_in</c> (HubSpot: a 401 is not a reliable refresh signal) —
/// and reads the rate-limit headers of each response. It never retries.
/// </summary>
internal sealed class HubSpotAuthHandler(IAccessTokenProvider tokens, IOptions<HubSpotOptions> options, HubSpotRateLimits limits) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var o = options.Value;
        var token = o.AuthMode == HubSpotAuthMode.PrivateApp
            ? o.AccessToken ?? throw new ConnectionBrokenException(HubSpotConnector.ConnectionName, "no private-app token configured")
            : (await tokens.GetAccessTokenAsync(HubSpotConnector.ConnectionName, cancellationToken).ConfigureAwait(false)).Value;
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        limits.Observe(response);
        return response;
    }
}
