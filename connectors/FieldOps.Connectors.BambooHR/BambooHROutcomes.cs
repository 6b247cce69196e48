using System.Net;
using FieldOps.Integration.Core.Connectors;

namespace FieldOps.Connectors.BambooHR;

/// <summary>The one place BambooHR answers become outcomes (fact sheet §4.4, §5).</summary>
internal static class BambooHROutcomes
{
    /// <summary>BambooHR's own wait when a throttle carries no Retry-After (its older bodies say "try again in 60 seconds").</summary>
    public static readonly TimeSpan DefaultThrottleWait = TimeSpan.FromSeconds(60);

    /// <summary>Classifies a reply that is not a success.</summary>
    public static DeliveryOutcome Classify(BambooHRReply reply, BambooHRAuthMode authMode)
    {
        var outcome = ClassifyCore(reply, authMode);
        return outcome with { StatusCode = (int)reply.Status, ResponseExcerpt = reply.Excerpt };
    }

    private static DeliveryOutcome ClassifyCore(BambooHRReply reply, BambooHRAuthMode authMode)
    {
        var text = reply.Describe();
        var status = (int)reply.Status;
        if (reply.Problem?.Error?.Code == 429)
            return DeliveryOutcome.Throttled(reply.RetryAfter ?? DefaultThrottleWait, text); // the "over rate limit" body under HTTP 200
        switch (reply.Status)
        {
            case HttpStatusCode.Unauthorized:
                // A static API key does not get better by retrying; an OAuth token is refreshed once by the dispatcher.
                return authMode == BambooHRAuthMode.OAuth
                    ? DeliveryOutcome.AuthExpired(text)
                    : DeliveryOutcome.ConnectionBroken($"{text} — the API key was refused; set a valid Connectors__BambooHR__ApiKey.");
            case HttpStatusCode.Forbidden:
                return DeliveryOutcome.ConnectionBroken($"{text} — the API user lacks permission for time tracking.");
            case HttpStatusCode.TooManyRequests:
                return DeliveryOutcome.Throttled(reply.RetryAfter ?? DefaultThrottleWait, text);
            case HttpStatusCode.ServiceUnavailable when reply.RetryAfter is { } wait:
                return DeliveryOutcome.Throttled(wait, text); // rate limiting before 2026-09-16 (and still possible)
        }
        if (status >= 500 || status == 408)
            return DeliveryOutcome.Transient(text, reply.RetryAfter);
        if (status is >= 200 and < 300)
            return DeliveryOutcome.Transient($"BambooHR answered HTTP {status} with a body the connector could not read: {reply.Excerpt}");
        return DeliveryOutcome.Permanent(text, reply.Problem?.FieldNames);
    }
}
