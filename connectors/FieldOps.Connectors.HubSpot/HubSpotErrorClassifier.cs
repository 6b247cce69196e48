using System.Globalization;
using System.Text.RegularExpressions;
using FieldOps.Integration.Core.Connectors;

namespace FieldOps.Connectors.HubSpot;

/// <summary>
/// Turns a HubSpot failure into an outcome (target-apis.md §2.5–2.6, §5): 429 → throttled by <c>policyName</c> (burst:
/// <see cref="HubSpotOptions.BurstWait"/>; DAILY: until the account's midnight); 401 → auth expired (OAuth) or broken
/// (private app); 403 → broken (missing scope); 409 <c>Existing ID: n</c> → delivered as n; 423/408/5xx → transient;
/// <c>VALIDATION_ERROR</c> and other 4xx → permanent with the properties HubSpot named.
/// </summary>
internal sealed partial class HubSpotErrorClassifier(HubSpotOptions options, HubSpotRateLimits limits, TimeProvider time)
{
    public DeliveryOutcome Classify(HttpResponseMessage response, string body, string objectType)
    {
        var status = (int)response.StatusCode;
        var error = HubSpotJson.Read<HubSpotError>(body);
        var text = Describe(error, $"HTTP {status}");
        var outcome = status switch
        {
            429 => Throttled(error, response.Headers.RetryAfter?.Delta, text),
            401 when options.AuthMode == HubSpotAuthMode.OAuth => DeliveryOutcome.AuthExpired(text),
            401 => DeliveryOutcome.ConnectionBroken($"HubSpot refused the private-app token (replace Connectors__HubSpot__AccessToken): {text}"),
            403 => DeliveryOutcome.ConnectionBroken($"HubSpot refused access (missing scope?): {text}"),
            409 => ExistingId(text, objectType) ?? DeliveryOutcome.Conflict(text),
            423 or 408 or >= 500 => DeliveryOutcome.Transient(text),
            _ => DeliveryOutcome.Permanent(text, Fields(error)),
        };
        return outcome with { StatusCode = status, ResponseExcerpt = HubSpotJson.Excerpt(body) };
    }

    /// <summary>Classifies one error of a 207 batch answer.</summary>
    public DeliveryOutcome ClassifyItem(HubSpotError error, string objectType)
    {
        var text = Describe(error, "HubSpot reported an error for this input");
        return error.Category switch
        {
            "RATE_LIMITS" => Throttled(error, null, text),
            "CONFLICT" => ExistingId(text, objectType) ?? DeliveryOutcome.Conflict(text),
            "LOCKED" => DeliveryOutcome.Transient(text),
            _ => ExistingId(text, objectType) ?? DeliveryOutcome.Permanent(text, Fields(error)),
        };
    }

    private DeliveryOutcome Throttled(HubSpotError? error, TimeSpan? retryAfter, string text)
    {
        if (retryAfter is { } asked)
            return DeliveryOutcome.Throttled(asked, $"{text} (Retry-After {asked})");
        if (error?.PolicyName != "DAILY")
            return DeliveryOutcome.Throttled(options.BurstWait, $"{text} (policy {error?.PolicyName ?? "unknown"}; {limits.Describe()}; holding {options.BurstWait})");
        var zone = TimeZoneInfo.FindSystemTimeZoneById(options.AccountTimeZone);
        var now = time.GetUtcNow();
        var midnightLocal = TimeZoneInfo.ConvertTime(now, zone).Date.AddDays(1);
        var midnight = new DateTimeOffset(midnightLocal, zone.GetUtcOffset(midnightLocal));
        return DeliveryOutcome.Throttled(midnight - now,
            $"{text} HubSpot's DAILY limit is spent: holding the connector until {midnight.ToString("yyyy-MM-dd HH:mm zzz", CultureInfo.InvariantCulture)} "
            + $"(midnight {options.AccountTimeZone}, the account's reset).");
    }

    private static DeliveryOutcome? ExistingId(string text, string objectType) =>
        ExistingIdPattern().Match(text) is { Success: true } match
            ? DeliveryOutcome.Delivered(match.Groups[1].Value, objectType)
            : null;

    private static List<string> Fields(HubSpotError? error) =>
        error?.Errors?.SelectMany(d => HubSpotError.Values(d.Context)).Distinct(StringComparer.Ordinal).ToList() ?? [];

    private static string Describe(HubSpotError? error, string fallback)
    {
        if (error is null || (error.Category is null && error.Message is null))
            return fallback;
        var details = error.Errors is { Count: > 0 } list ? " [" + string.Join("; ", list.Select(d => $"{d.Code}: {d.Message}")) + "]" : "";
        if (Fields(error) is { Count: > 0 } fields)
            details += $" (properties: {string.Join(", ", fields)})";
        return $"{error.Category ?? error.ErrorType ?? "ERROR"}: {error.Message}{details}";
    }

    [GeneratedRegex(@"Existing ID: (\d+)")]
    private static partial Regex ExistingIdPattern();
}
