using System.Net.Http.Headers;
using System.Text.Json;
using FieldOps.Integration.Core.Connectors;
using FieldOps.Integration.Core.Credentials;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace FieldOps.Connectors.Salesforce;

/// <summary>
/// <c>fieldops connectors check salesforce</c>: mints a token with the configured flow (no refresh token exists, so
/// this changes nothing stored) and reads <c>/limits</c> with it.
/// </summary>
internal sealed class SalesforceConnectionCheck(
    [FromKeyedServices(SalesforceConnector.ConnectionName)] ITokenEndpoint tokenEndpoint,
    IHttpClientFactory httpClients,
    IOptions<SalesforceOptions> options,
    SalesforceApiUsage usage) : IConnectionCheck
{
    public string Name => SalesforceConnector.ConnectorName;

    public async Task<IReadOnlyList<ConnectionCheckStep>> CheckAsync(CancellationToken cancellationToken)
    {
        var o = options.Value;
        TokenGrant grant;
        try
        {
            grant = await tokenEndpoint.RequestTokenAsync(null, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is ConnectionBrokenException or HttpRequestException or InvalidOperationException or IOException or TaskCanceledException)
        {
            return [new ConnectionCheckStep("token", false, $"{o.AuthFlow} at {o.LoginUrl}: {ex.Message}")];
        }
        var instance = grant.Properties.GetValueOrDefault(SalesforceTokenEndpoint.InstanceUrlProperty) ?? o.LoginUrl.ToString();
        var steps = new List<ConnectionCheckStep> { new("token", true, $"{o.AuthFlow} token issued; instance {instance}") };
        steps.Add(await ReadLimitsAsync(new Uri(instance), grant.AccessToken, o, cancellationToken).ConfigureAwait(false));
        return steps;
    }

    private async Task<ConnectionCheckStep> ReadLimitsAsync(Uri instance, string accessToken, SalesforceOptions o, CancellationToken cancellationToken)
    {
        var url = new Uri(instance, $"/services/data/{o.ApiVersion}/limits");
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
            using var response = await httpClients.CreateClient(SalesforceTokenEndpoint.HttpClientName).SendAsync(request, cancellationToken).ConfigureAwait(false);
            usage.Observe(response);
            var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
                return new ConnectionCheckStep("read", false, $"GET {url.AbsolutePath}: HTTP {(int)response.StatusCode} {SalesforceJson.Excerpt(body)}");
            using var document = JsonDocument.Parse(body);
            var detail = document.RootElement.TryGetProperty("DailyApiRequests", out var daily)
                ? $"DailyApiRequests {daily.GetProperty("Remaining").GetInt64()} of {daily.GetProperty("Max").GetInt64()} remaining"
                : "limits read";
            return new ConnectionCheckStep("read", true, $"GET {url.AbsolutePath}: {detail}");
        }
        catch (Exception ex) when (ex is HttpRequestException or JsonException or TaskCanceledException or KeyNotFoundException)
        {
            return new ConnectionCheckStep("read", false, $"GET {url.AbsolutePath}: {ex.Message}");
        }
    }
}
