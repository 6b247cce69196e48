namespace FieldOps.Integration.Core.Intake;

/// <summary>What the webhook endpoint answers: 202 accepted, 200 duplicate, or an error status with its JSON body.</summary>
/// <param name="StatusCode">The HTTP status.</param>
/// <param name="Body">The JSON body object.</param>
/// <param name="RetryAfterSeconds">Set on 503, so the sender retries.</param>
public sealed record IntakeResult(int StatusCode, object Body, int? RetryAfterSeconds = null)
{
    public static IntakeResult Accepted(long eventId) => new(202, new { status = "accepted", eventId });

    public static IntakeResult Duplicate(long eventId) => new(200, new { status = "duplicate", eventId });

    public static IntakeResult Error(int statusCode, string error, string detail, int? retryAfterSeconds = null) =>
        new(statusCode, new { error, detail = detail is { Length: > MaxDetailLength } ? detail[..(MaxDetailLength - 1)] + "…" : detail }, retryAfterSeconds);

    /// <summary>The longest error detail sent back.</summary>
    public const int MaxDetailLength = 300;
}
