using System.Net.Http.Headers;
using System.Text;
using FieldOps.Integration.Core.Credentials;
using FieldOps.Integration.Core.Delivery;
using Microsoft.Extensions.Options;

namespace FieldOps.Connectors.Http;

/// <summary>
/// The generic HTTP connector (<c>http</c>): sends an operation to the endpoint named in <c>params.endpoint</c>, with
/// the configured URL, method, headers and body filled from the operation, and classifies the answer
/// (<see cref="HttpOutcomeClassifier"/>). Its client carries a timeout only; the dispatcher owns retries.
/// </summary>
public sealed class HttpConnector(
    IHttpClientFactory clients, IOptionsMonitor<HttpConnectorOptions> options, IAccessTokenProvider tokens, TimeProvider time) : IConnector
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

    private static string? EndpointName(OutboundOperation operation) =>
        operation.Payload.ValueKind == System.Text.Json.JsonValueKind.Object
        && operation.Payload.TryGetProperty("params", out var parameters)
        && parameters.ValueKind == System.Text.Json.JsonValueKind.Object
        && parameters.TryGetProperty("endpoint", out var name)
            ? name.GetString()
            : null;
}
