using System.Text.Json;
using FieldOps.Integration.Core.Connectors;
using FieldOps.Integration.Core.Credentials;
using Microsoft.Extensions.Options;
using Refit;

namespace FieldOps.Connectors.BambooHR;

/// <summary>
/// <c>fieldops connectors check</c> for BambooHR: the credentials (an OAuth token from the store, or the API key's
/// presence), then the cheapest read, <c>GET /api/v1/meta/users</c>.
/// </summary>
internal sealed class BambooHRConnectionCheck(BambooHRClient client, IOptions<BambooHROptions> options, IServiceProvider services) : IConnectionCheck
{
    public string Name => BambooHRConnector.ConnectorName;

    public async Task<IReadOnlyList<ConnectionCheckStep>> CheckAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var steps = new List<ConnectionCheckStep>();
        if (settings.AuthMode == BambooHRAuthMode.OAuth)
        {
            try
            {
                var tokens = (IAccessTokenProvider?)services.GetService(typeof(IAccessTokenProvider))
                    ?? throw new InvalidOperationException("no credentials store (IAccessTokenProvider) is registered");
                var token = await tokens.GetAccessTokenAsync(BambooHROptions.ConnectionName, cancellationToken).ConfigureAwait(false);
                steps.Add(new("token", true, $"access token for {BambooHROptions.ConnectionName}, expires {token.ExpiresAt:O}"));
            }
            catch (Exception e) when (e is ConnectionBrokenException or HttpRequestException or InvalidOperationException or TimeoutException or TaskCanceledException)
            {
                steps.Add(new("token", false, e.Message));
                steps.Add(new("read", false, "skipped: no access token"));
                return steps;
            }
        }
        else
        {
            steps.Add(new("token", true, "API key mode (HTTP Basic): no token call"));
        }

        try
        {
            var reply = await client.GetUsersAsync(cancellationToken).ConfigureAwait(false);
            steps.Add(reply.IsSuccess
                ? new("read", true, $"{CountUsers(reply.Text)} users at {settings.BaseUrl}")
                : new("read", false, reply.Describe()));
        }
        // Refit wraps the client's own faults (a timeout, a refused connection) in ApiRequestException.
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or ApiRequestException)
        {
            steps.Add(new("read", false, $"{settings.BaseUrl} unreachable: {e.Message}"));
        }
        return steps;
    }

    private static int CountUsers(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            return document.RootElement.ValueKind == JsonValueKind.Object ? document.RootElement.EnumerateObject().Count() : 0;
        }
        catch (JsonException)
        {
            return 0;
        }
    }
}
