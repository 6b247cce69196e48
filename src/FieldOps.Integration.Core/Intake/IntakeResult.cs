namespace FieldOps.Integration.Core.Intake;

/// <summary>What the webhook endpoint answers: 202 accepted, 200 duplicate, or an error status with its JSON body.</summary>
/// <param name="StatusCode">The HTTP status.</param>
/// <param name="Body">The JSON body object.</param>
/// <param name="RetryAfterSeconds">Set on 503, so the sender retries.</param>
public sealed record IntakeResult(int StatusCode, object Body, int? RetryAfterSeconds = null)
{
    public static IntakeResult Accepted(long eventId) => new(202, new { status = "accepted", eventId });

    public static IntakeResult Duplicate(long eventId) => new(200, new { status = "duplicate", eventId });

    /// <summary>
    /// A delivery of several events: 202 with every event's id when any is new, else 200 <c>duplicate</c> (an empty
    /// batch is 202 with no ids).
    /// </summary>
    public static IntakeResult Batch(IReadOnlyList<Inbox.InboxAppendResult> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        var eventIds = results.Select(r => r.EventId).ToArray();
        var duplicates = results.Count(r => r.IsDuplicate);
        return results.Count > 0 && duplicates == results.Count
            ? new(200, new { status = "duplicate", eventIds })
            : new(202, new { status = "accepted", eventIds, duplicates });
    }

    public static IntakeResult Error(int statusCode, string error, string detail, int? retryAfterSeconds = null) =>
        new(statusCode, new { error, detail = detail is { Length: > MaxDetailLength } ? detail[..(MaxDetailLength - 1)] + "…" : detail }, retryAfterSeconds);

    /// <summary>The longest error detail sent back.</summary>
    public const int MaxDetailLength = 300;
}
