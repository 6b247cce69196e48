using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using FieldOps.Integration.Core.Connectors;
using FieldOps.Integration.Core.Dispatch;
using FieldOps.Integration.Core.Text;

namespace FieldOps.Connectors.Http;

/// <summary>
/// The generic connector's classification: the endpoint's success codes (default 2xx) deliver; 408, 429, 5xx and the
/// endpoint's retry codes are transient, 429 and 503 with Retry-After throttled; 401 with OAuth is auth-expired;
/// every other status is permanent, with the target's text.
/// </summary>
internal static class HttpOutcomeClassifier
{
    public static DeliveryOutcome Classify(
        HttpStatusCode status, RetryConditionHeaderValue? retryAfterHeader, string body, HttpEndpointOptions endpoint, OutboundOperation operation,
        DateTimeOffset now)
    {
        var code = (int)status;
        var excerpt = ResponseRedactor.Redact(body);
        var success = endpoint.SuccessStatusCodes.Count > 0 ? endpoint.SuccessStatusCodes.Contains(code) : code is >= 200 and < 300;
        if (success)
            return DeliveryOutcome.Delivered(TargetId(body, endpoint, operation)) with { StatusCode = code, ResponseExcerpt = excerpt };
        var retryAfter = RetryAfter(retryAfterHeader, now);
        var message = $"HTTP {code} {status}: {Text(body)}";
        var outcome = code switch
        {
            401 when endpoint.OAuth => DeliveryOutcome.AuthExpired(message),
            429 or 503 when retryAfter is { } wait => DeliveryOutcome.Throttled(wait, message),
            408 or 429 or >= 500 => DeliveryOutcome.Transient(message, retryAfter),
            _ when endpoint.RetryStatusCodes.Contains(code) => DeliveryOutcome.Transient(message, retryAfter),
            _ => DeliveryOutcome.Permanent(message),
        };
        return outcome with { StatusCode = code, ResponseExcerpt = excerpt };
    }

    /// <summary>Retry-After as seconds or an HTTP date, as a wait from <paramref name="now"/>.</summary>
    public static TimeSpan? RetryAfter(RetryConditionHeaderValue? header, DateTimeOffset now)
    {
        if (header?.Delta is { } delta)
            return delta;
        if (header?.Date is { } date)
            return date > now ? date - now : TimeSpan.Zero;
        return null;
    }

    private static string Text(string body)
    {
        // Cut before a pair, not through it: half an emoji is no character (it was stored as its escape).
        return ResponseRedactor.Redact(TextCut.Excerpt(body, 1000)) ?? "";
    }

    private static string? TargetId(string body, HttpEndpointOptions endpoint, OutboundOperation operation)
    {
        var fallback = endpoint.FallbackTargetId is { } template ? HttpTemplate.Render(template, operation, HttpTemplate.Escaping.Text) : null;
        if (string.IsNullOrWhiteSpace(body))
            return fallback;
        try
        {
            // Half a surrogate pair (an escape such as \ud83d) parses, but reading it as a string throws: read as U+FFFD,
            // the id is shown and, not being the target's text, never kept as a cross-reference (OutboxUpdateScrubbing).
            using var document = JsonDocument.Parse(JsonSurrogates.Mend(body));
            var current = document.RootElement;
            foreach (var segment in endpoint.TargetIdPath.Split('.'))
            {
                if (current.ValueKind != JsonValueKind.Object || !current.TryGetProperty(segment, out current))
                    return fallback;
            }
            return current.ValueKind switch
            {
                JsonValueKind.String => current.GetString(),
                JsonValueKind.Number => current.GetRawText(),
                _ => fallback,
            };
        }
        catch (JsonException)
        {
            return fallback; // not JSON: the target said yes without an id
        }
    }
}
