using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using FieldOps.Integration.Core.Credentials;
using FieldOps.Integration.Core.Connectors;
using FieldOps.Integration.Core.Text;
using Microsoft.Extensions.Options;

namespace FieldOps.Connectors.Jobber;

/// <summary>
/// Posts one GraphQL document to Jobber and classifies the answer (no retries: the dispatcher owns them). The bearer
/// token comes from the borrowed source connection, refreshed once on 401. HTTP 429 and the <c>THROTTLED</c> error
/// are throttles; when the query-cost bucket (<c>extensions.cost.throttleStatus</c>) holds less than the last query
/// cost, the next call is held back until it has refilled, and reported as throttled instead of being sent.
/// </summary>
public sealed class JobberGraphQL(IHttpClientFactory clients, IAccessTokenProvider tokens, IOptions<JobberOptions> options, TimeProvider time)
{
    public const string ClientName = "jobber-connector";

    private static readonly TimeSpan DefaultThrottleWait = TimeSpan.FromSeconds(10);
    private readonly JobberOptions _options = options.Value;
    private readonly Lock _gate = new();
    private DateTimeOffset _notBefore;

    internal async Task<JobberAnswer> SendAsync(string document, JsonObject variables, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var wait = _notBefore - time.GetUtcNow();
            if (wait > TimeSpan.Zero)
                return JobberAnswer.Failed(DeliveryOutcome.Throttled(wait, "Jobber's query-cost bucket is refilling"));
        }
        try
        {
            var token = await tokens.GetAccessTokenAsync(_options.Connection, cancellationToken).ConfigureAwait(false);
            var startedAt = time.GetUtcNow();
            using var response = await PostAsync(document, variables, token, cancellationToken).ConfigureAwait(false);
            if (response.StatusCode != HttpStatusCode.Unauthorized)
                return await ReadAsync(response, cancellationToken).ConfigureAwait(false);
            // A 401 means nothing was applied: refresh once (single-flight in the credentials store) and send again.
            token = await tokens.RefreshAsync(_options.Connection, startedAt, cancellationToken).ConfigureAwait(false);
            using var retried = await PostAsync(document, variables, token, cancellationToken).ConfigureAwait(false);
            return retried.StatusCode == HttpStatusCode.Unauthorized
                ? JobberAnswer.Failed(DeliveryOutcome.AuthExpired($"Jobber rejected a freshly refreshed token of {_options.Connection}") with { StatusCode = 401 })
                : await ReadAsync(retried, cancellationToken).ConfigureAwait(false);
        }
        catch (ConnectionBrokenException ex)
        {
            return JobberAnswer.Failed(DeliveryOutcome.ConnectionBroken(ex.Reason));
        }
        catch (HttpRequestException ex)
        {
            // A connection closed after the request was written may have been applied: the dispatcher checks first.
            return JobberAnswer.Failed(DeliveryOutcome.Unanswered($"Jobber unreachable: {ex.Message}", ex));
        }
        catch (TaskCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            return JobberAnswer.Failed(DeliveryOutcome.Unanswered($"Jobber did not answer within {_options.Timeout}.", ex));
        }
    }

    private async Task<HttpResponseMessage> PostAsync(string document, JsonObject variables, AccessToken token, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(BaseAddress(), "graphql"))
        {
            Content = JsonContent.Create(new JsonObject { ["query"] = document, ["variables"] = variables.DeepClone() }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token.Value);
        request.Headers.TryAddWithoutValidation("X-JOBBER-GRAPHQL-VERSION", _options.ApiVersion);
        return await clients.CreateClient(ClientName).SendAsync(request, cancellationToken).ConfigureAwait(false);
    }

    private async Task<JobberAnswer> ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        var status = (int)response.StatusCode;
        if (response.StatusCode == HttpStatusCode.TooManyRequests)
            return Failed(DeliveryOutcome.Throttled(response.Headers.RetryAfter?.Delta ?? DefaultThrottleWait, "Jobber answered 429 (request rate limit)"), status, text);
        if (status is 408 or >= 500)
            return Failed(DeliveryOutcome.Transient($"Jobber answered {status}"), status, text);
        if (!response.IsSuccessStatusCode)
            return Failed(DeliveryOutcome.Permanent($"Jobber answered {status}: {Excerpt(text)}"), status, text);
        JsonObject? body;
        try
        {
            // Half a surrogate pair (an escape such as \ud83d: a value cut through an emoji) is read as U+FFFD, or reading
            // the id or an error's message as a string would throw out of the connector.
            body = JsonNode.Parse(JsonSurrogates.Mend(text)) as JsonObject;
        }
        catch (JsonException)
        {
            body = null;
        }
        if (body is null)
            return Failed(DeliveryOutcome.Transient($"Jobber answered {status} with a body that is not a JSON object (truncated?)"), status, text);
        var cost = body["extensions"]?["cost"];
        var requested = Number(cost?["requestedQueryCost"]);
        var available = Number(cost?["throttleStatus"]?["currentlyAvailable"]);
        var restore = Number(cost?["throttleStatus"]?["restoreRate"]);
        if (body["errors"] is JsonArray { Count: > 0 } errors)
        {
            var code = errors[0]?["extensions"]?["code"]?.ToString();
            var message = errors[0]?["message"]?.ToString();
            if (string.Equals(code, "THROTTLED", StringComparison.Ordinal))
                return Failed(DeliveryOutcome.Throttled(RefillTime(requested, available, restore), $"Jobber THROTTLED (query cost {requested}, available {available})"), status, text);
            return Failed(DeliveryOutcome.Permanent($"Jobber GraphQL error{(code is null ? "" : $" {code}")}: {message}"), status, text);
        }
        if (requested is { } need && available is { } left && left < need)
        {
            lock (_gate)
                _notBefore = time.GetUtcNow() + RefillTime(need, left, restore);
        }
        return new JobberAnswer(body["data"] as JsonObject, null) { Status = status };
    }

    private Uri BaseAddress()
    {
        var url = _options.BaseUrl.AbsoluteUri;
        return url.EndsWith('/') ? _options.BaseUrl : new Uri(url + "/");
    }

    private static JobberAnswer Failed(DeliveryOutcome outcome, int status, string body) =>
        JobberAnswer.Failed(outcome with { StatusCode = status, ResponseExcerpt = Excerpt(body) });

    /// <summary>How long the bucket needs to hold <paramref name="requested"/> points again, bounded to a minute.</summary>
    internal static TimeSpan RefillTime(double? requested, double? available, double? restore)
    {
        if (requested is not { } cost || available is not { } left || restore is not > 0)
            return TimeSpan.FromSeconds(1);
        return TimeSpan.FromSeconds(Math.Clamp((cost - left) / restore.Value, 0.1, 60));
    }

    private static double? Number(JsonNode? node) => node is JsonValue value && value.TryGetValue<double>(out var d) ? d : null;

    private static string Excerpt(string text) => TextCut.Excerpt(text, 500);
}
