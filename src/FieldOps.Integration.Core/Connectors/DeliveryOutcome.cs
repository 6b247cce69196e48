namespace FieldOps.Integration.Core.Connectors;

/// <summary>
/// The result of one attempt to carry out an <see cref="OutboundOperation"/>. Connectors create these through the
/// static factories; the dispatcher alone decides what to do next (retry, wait, dead-letter).
/// </summary>
public sealed record DeliveryOutcome
{
    private DeliveryOutcome(OutcomeKind kind) => Kind = kind;

    /// <summary>The outcome class.</summary>
    public OutcomeKind Kind { get; private init; }

    /// <summary>The id the target assigned to (or already had for) the record, stored as a cross-reference.</summary>
    public string? TargetId { get; private init; }

    /// <summary>The target's object type for the cross-reference (e.g. <c>Account</c>); defaults to the operation's.</summary>
    public string? TargetType { get; private init; }

    /// <summary>How long the target asked us to wait (Retry-After, vendor throttle policy), if it said.</summary>
    public TimeSpan? RetryAfter { get; private init; }

    /// <summary>The target's own words (error code and message), kept in the attempts history and dead letters.</summary>
    public string? Message { get; private init; }

    /// <summary>The fields the target named as wrong, if any.</summary>
    public IReadOnlyList<string> Fields { get; private init; } = [];

    /// <summary>The HTTP status of the response that decided this outcome, if there was one.</summary>
    public int? StatusCode { get; init; }

    /// <summary>A bounded excerpt of the response body with secrets removed, for the attempts history.</summary>
    public string? ResponseExcerpt { get; init; }

    /// <summary>
    /// True when the request may have reached the target although no usable answer came back (set by the connector or
    /// the dispatcher from the transport fault); for a non-idempotent operation such a transient outcome becomes
    /// <see cref="OutcomeKind.OutcomeUnknown"/>.
    /// </summary>
    public bool MayHaveBeenApplied { get; init; }

    /// <summary>True when this outcome ends the operation successfully.</summary>
    public bool IsDelivered => Kind == OutcomeKind.Delivered;

    public static DeliveryOutcome Delivered(string? targetId, string? targetType = null) =>
        new(OutcomeKind.Delivered) { TargetId = targetId, TargetType = targetType };

    public static DeliveryOutcome Transient(string message, TimeSpan? retryAfter = null) =>
        new(OutcomeKind.Transient) { Message = message, RetryAfter = retryAfter };

    /// <summary>A call that got no usable answer because of <paramref name="fault"/>; transient, and possibly applied.</summary>
    public static DeliveryOutcome Unanswered(string message, Exception fault) =>
        Transient(message) with { MayHaveBeenApplied = TransportFaults.MayHaveReachedTarget(fault) };

    /// <summary>An earlier or this attempt may have taken effect and nobody can tell yet (see <see cref="OutcomeKind.OutcomeUnknown"/>).</summary>
    public static DeliveryOutcome OutcomeUnknown(string message) =>
        new(OutcomeKind.OutcomeUnknown) { Message = message, MayHaveBeenApplied = true };

    /// <summary>This outcome reclassified as <see cref="OutcomeKind.OutcomeUnknown"/>, keeping the status, text and excerpt.</summary>
    public DeliveryOutcome AsOutcomeUnknown() => this with { Kind = OutcomeKind.OutcomeUnknown, MayHaveBeenApplied = true };

    public static DeliveryOutcome Throttled(TimeSpan wait, string message) =>
        new(OutcomeKind.Throttled) { RetryAfter = wait, Message = message };

    public static DeliveryOutcome AuthExpired(string message) =>
        new(OutcomeKind.AuthExpired) { Message = message };

    public static DeliveryOutcome Conflict(string message) =>
        new(OutcomeKind.Conflict) { Message = message };

    public static DeliveryOutcome Permanent(string message, IReadOnlyList<string>? fields = null) =>
        new(OutcomeKind.Permanent) { Message = message, Fields = fields ?? [] };

    /// <summary>The target applied the write (<paramref name="targetId"/>) but the result contradicts the source.</summary>
    public static DeliveryOutcome Business(string message, string? targetId = null, string? targetType = null) =>
        new(OutcomeKind.Business) { Message = message, TargetId = targetId, TargetType = targetType };

    /// <summary>The target's setup disagrees with our configuration; nothing was written (see <see cref="OutcomeKind.Configuration"/>).</summary>
    public static DeliveryOutcome Configuration(string message, IReadOnlyList<string>? fields = null) =>
        new(OutcomeKind.Configuration) { Message = message, Fields = fields ?? [] };

    public static DeliveryOutcome ConnectionBroken(string message) =>
        new(OutcomeKind.ConnectionBroken) { Message = message };
}
