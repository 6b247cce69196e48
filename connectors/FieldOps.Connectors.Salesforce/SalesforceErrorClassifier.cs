using FieldOps.Integration.Core.Connectors;

namespace FieldOps.Connectors.Salesforce;

/// <summary>
/// Turns a Salesforce failure into an outcome (target-apis.md §1.5–1.6, §5): 401 → auth expired; 403
/// <c>REQUEST_LIMIT_EXCEEDED</c> → throttled; <c>UNABLE_TO_LOCK_ROW</c> → transient; 412/409 → conflict; 300 →
/// permanent; 5xx/408 → transient; other codes → permanent with the fields Salesforce named.
/// </summary>
internal static class SalesforceErrorClassifier
{
    private static readonly HashSet<string> s_connectionCodes = new(StringComparer.Ordinal)
    {
        "API_DISABLED_FOR_ORG", "API_CURRENTLY_DISABLED", "INVALID_AUTH_HEADER",
    };

    private static readonly HashSet<string> s_transientCodes = new(StringComparer.Ordinal)
    {
        "UNABLE_TO_LOCK_ROW", "SERVER_UNAVAILABLE", "PROCESSING_HALTED",
    };

    /// <summary>Classifies a non-success HTTP response.</summary>
    public static DeliveryOutcome Classify(int status, string body, SalesforceOptions options, SalesforceApiUsage usage)
    {
        var errors = SalesforceJson.ReadErrors(body);
        var text = errors.Count > 0 ? Describe(errors) : $"HTTP {status}";
        var outcome = status switch
        {
            401 => DeliveryOutcome.AuthExpired(text),
            300 => DeliveryOutcome.Permanent($"MULTIPLE_CHOICES: several records match the external id, nothing was written: {SalesforceJson.Excerpt(body)}"),
            412 => DeliveryOutcome.Conflict(errors.Count > 0 ? text : "HTTP 412 Precondition Failed: the record changed since it was read"),
            409 => DeliveryOutcome.Conflict(text),
            408 or >= 500 => DeliveryOutcome.Transient(text),
            _ => ClassifyErrors(errors, options, usage, text),
        };
        return outcome with { StatusCode = status, ResponseExcerpt = SalesforceJson.Excerpt(body) };
    }

    /// <summary>Classifies the errors of one record (a REST error array, or one collection item's <c>errors</c>).</summary>
    public static DeliveryOutcome ClassifyErrors(IReadOnlyList<SalesforceError> errors, SalesforceOptions options, SalesforceApiUsage usage, string? text = null)
    {
        text ??= errors.Count > 0 ? Describe(errors) : "Salesforce reported a failure without an error";
        var codes = errors.Select(e => e.Code).ToHashSet(StringComparer.Ordinal);
        if (codes.Contains("REQUEST_LIMIT_EXCEEDED"))
        {
            var concurrent = errors.Any(e => e.Message?.Contains("ConcurrentRequests", StringComparison.OrdinalIgnoreCase) == true);
            var wait = concurrent ? options.ConcurrentLimitWait : options.RequestLimitWait;
            return DeliveryOutcome.Throttled(wait, $"{text} ({usage.Describe()}; holding {wait})");
        }
        if (codes.Contains("INVALID_SESSION_ID"))
            return DeliveryOutcome.AuthExpired(text);
        if (codes.Overlaps(s_transientCodes))
            return DeliveryOutcome.Transient(text);
        if (codes.Overlaps(s_connectionCodes))
            return DeliveryOutcome.ConnectionBroken(text);
        var fields = errors.SelectMany(e => e.Fields ?? []).Distinct(StringComparer.Ordinal).ToList();
        return DeliveryOutcome.Permanent(text, fields);
    }

    private static string Describe(IEnumerable<SalesforceError> errors) =>
        string.Join("; ", errors.Select(e => e.Fields is { Count: > 0 } f ? $"{e.Code}: {e.Message} [{string.Join(", ", f)}]" : $"{e.Code}: {e.Message}"));
}
