using System.Net.Http.Headers;
using System.Text;
using FieldOps.Integration.Core.Credentials;
using Microsoft.Extensions.Options;

namespace FieldOps.Connectors.BambooHR;

/// <summary>
/// Authenticates BambooHR calls: HTTP Basic with the API key as user and <c>x</c> as password, or the OAuth bearer
/// token from the token store. It never refreshes on a 401 itself; the dispatcher does.
/// </summary>
internal sealed class BambooHRAuthHandler(IOptions<BambooHROptions> options, IServiceProvider services) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (settings.AuthMode == BambooHRAuthMode.OAuth)
        {
            // Resolved lazily: API-key instances need no token store.
            var tokens = (IAccessTokenProvider?)services.GetService(typeof(IAccessTokenProvider))
                ?? throw new InvalidOperationException("BambooHR OAuth needs the credentials store (IAccessTokenProvider) registered.");
            var token = await tokens.GetAccessTokenAsync(BambooHROptions.ConnectionName, cancellationToken).ConfigureAwait(false);
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token.Value);
        }
        else
        {
            var basic = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{settings.ApiKey}:x"));
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", basic);
        }
        return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
    }
}
