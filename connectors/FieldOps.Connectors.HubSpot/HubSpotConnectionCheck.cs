using FieldOps.Integration.Core.Connectors;
using FieldOps.Integration.Core.Credentials;
using Microsoft.Extensions.Options;
using Refit;

namespace FieldOps.Connectors.HubSpot;

/// <summary>
/// <c>fieldops connectors check hubspot</c>: the token (the private-app token is present, or an OAuth token from the
/// credentials store — refreshed and stored there if due, since HubSpot may rotate the refresh token) and one
/// cheap read, <c>GET …/contacts?limit=1</c>.
/// </summary>
internal sealed class HubSpotConnectionCheck(IHubSpotApi api, IAccessTokenProvider tokens, IOptions<HubSpotOptions> options, HubSpotRateLimits limits)
    : IConnectionCheck
{
    public string Name => HubSpotConnector.ConnectorName;

    public async Task<IReadOnlyList<ConnectionCheckStep>> CheckAsync(CancellationToken cancellationToken)
    {
        var o = options.Value;
        ConnectionCheckStep token;
        if (o.AuthMode == HubSpotAuthMode.PrivateApp)
        {
            token = new ConnectionCheckStep("token", !string.IsNullOrEmpty(o.AccessToken),
                string.IsNullOrEmpty(o.AccessToken) ? "no private-app token (Connectors__HubSpot__AccessToken)" : "private-app token configured");
        }
        else
        {
            try
            {
                var access = await tokens.GetAccessTokenAsync(HubSpotConnector.ConnectionName, cancellationToken).ConfigureAwait(false);
                token = new ConnectionCheckStep("token", true, $"OAuth token valid until {access.ExpiresAt:u}");
            }
            catch (Exception ex) when (ex is ConnectionBrokenException or HttpRequestException or TimeoutException or InvalidOperationException)
            {
                token = new ConnectionCheckStep("token", false, $"OAuth token at {o.TokenUrl}: {ex.Message}");
            }
        }
        if (!token.Ok)
            return [token];
        return [token, await ReadAsync(o, cancellationToken).ConfigureAwait(false)];
    }

    private async Task<ConnectionCheckStep> ReadAsync(HubSpotOptions o, CancellationToken cancellationToken)
    {
        var what = $"GET /{o.ObjectsPath}/contacts?limit=1";
        try
        {
            using var response = await api.ListAsync(o.ObjectsPath, "contacts", 1, cancellationToken).ConfigureAwait(false);
            var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            return response.IsSuccessStatusCode
                ? new ConnectionCheckStep("read", true, $"{what}: HTTP {(int)response.StatusCode}; {limits.Describe()}")
                : new ConnectionCheckStep("read", false, $"{what}: HTTP {(int)response.StatusCode} {HubSpotJson.Excerpt(body)}");
        }
        catch (Exception ex) when (ex is HttpRequestException or ApiRequestException or TaskCanceledException)
        {
            return new ConnectionCheckStep("read", false, $"{what}: {ex.InnerException?.Message ?? ex.Message}");
        }
    }
}
