using System.Net.Http.Headers;
using System.Text;
using FieldOps.Integration.Core.Connectors;
using FieldOps.Integration.Core.Credentials;
using Microsoft.Extensions.Options;

namespace FieldOps.Connectors.Http;

/// <summary>
/// The generic HTTP connector (<c>http</c>): sends an operation to the endpoint named in <c>params.endpoint</c>, with
/// the configured URL, method, headers and body filled from the operation, and classifies the answer
/// (<see cref="HttpOutcomeClassifier"/>). Its client carries a timeout only; the dispatcher owns retries.
/// </summary>
public sealed class HttpConnector(
    IHttpClientFactory clients, IOptionsMonitor<HttpConnectorOptions> options, IAccessTokenProvider tokens, TimeProvider time) : IConnector, IEffectChecker
{
    /// <summary>The connector name flows use.</summary>
    public const string ConnectorName = "http";

    /// <summary>The named HTTP client.</summary>
    public const string ClientName = "fieldops-connector-http";

    public string Name => ConnectorName;

    public async Task<DeliveryOutcome> DeliverAsync(OutboundOperation operation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(operation);
        var endpointName = EndpointName(operation);
        if (endpointName is null || !options.CurrentValue.Endpoints.TryGetValue(endpointName, out var endpoint))
            return DeliveryOutcome.Permanent($"no endpoint '{endpointName}' under Connectors:Http:Endpoints (params.endpoint names it)");
        HttpRequestMessage request;
        try
        {
            request = BuildRequest(operation, endpoint);
        }
        catch (KeyNotFoundException ex)
        {
            return DeliveryOutcome.Permanent(ex.Message);
        }
        using (request)
        {
            if (endpoint.OAuth)
            {
                var token = await tokens.GetAccessTokenAsync($"{ConnectorName}:{operation.Connection}", cancellationToken).ConfigureAwait(false);
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token.Value);
            }
            using var response = await clients.CreateClient(ClientName).SendAsync(request, cancellationToken).ConfigureAwait(false);
            var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            return HttpOutcomeClassifier.Classify(response.StatusCode, response.Headers.RetryAfter, body, endpoint, operation, time.GetUtcNow());
        }
    }

    public bool IsNonIdempotent(OutboundOperation operation) =>
        EndpointName(operation) is { } name && options.CurrentValue.Endpoints.TryGetValue(name, out var endpoint) && endpoint.NonIdempotent;

    public async Task<(EffectCheck Result, string? TargetId)> CheckEffectAsync(OutboundOperation operation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(operation);
        if (EndpointName(operation) is not { } name || !options.CurrentValue.Endpoints.TryGetValue(name, out var endpoint) || endpoint.EffectCheckUrl is null)
            return (EffectCheck.Unknown, null);
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(HttpTemplate.Render(endpoint.EffectCheckUrl, operation, HttpTemplate.Escaping.Url)));
        if (endpoint.OAuth)
        {
            var token = await tokens.GetAccessTokenAsync($"{ConnectorName}:{operation.Connection}", cancellationToken).ConfigureAwait(false);
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token.Value);
        }
        using var response = await clients.CreateClient(ClientName).SendAsync(request, cancellationToken).ConfigureAwait(false);
        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == System.Net.HttpStatusCode.NotFound)
            return (EffectCheck.NotApplied, null);
        if ((int)response.StatusCode is 408 or 429 or >= 500)
            throw new HttpRequestException($"effect check answered {(int)response.StatusCode}", null, response.StatusCode);
        if (!response.IsSuccessStatusCode)
            return (EffectCheck.Unknown, null);
        var found = HttpOutcomeClassifier.Classify(response.StatusCode, null, body, endpoint, operation, time.GetUtcNow());
        return (EffectCheck.Applied, found.TargetId);
    }

    private static HttpRequestMessage BuildRequest(OutboundOperation operation, HttpEndpointOptions endpoint)
    {
        var url = HttpTemplate.Render(endpoint.Url, operation, HttpTemplate.Escaping.Url);
        var request = new HttpRequestMessage(new HttpMethod(endpoint.Method.ToUpperInvariant()), new Uri(url, UriKind.Absolute));
        try
        {
            if (request.Method != HttpMethod.Get && request.Method != HttpMethod.Delete)
            {
                var body = endpoint.Body is null ? HttpTemplate.Fields(operation) : HttpTemplate.Render(endpoint.Body, operation, HttpTemplate.Escaping.Json);
                request.Content = new StringContent(body, Encoding.UTF8, endpoint.ContentType);
            }
            foreach (var (name, template) in endpoint.Headers)
            {
                var value = HttpTemplate.Render(template, operation, HttpTemplate.Escaping.Text);
                if (!request.Headers.TryAddWithoutValidation(name, value))
                    request.Content?.Headers.TryAddWithoutValidation(name, value);
            }
            return request;
        }
        catch
        {
            request.Dispose();
            throw;
        }
    }

    private static string? EndpointName(OutboundOperation operation) => operation.Payload.Param("endpoint");
}
