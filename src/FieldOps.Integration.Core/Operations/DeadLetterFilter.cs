namespace FieldOps.Integration.Core.Operations;

/// <summary>Which dead letters an operator means; every part is optional and they combine with AND.</summary>
/// <param name="Connector">The connector (<c>quickbooks</c>).</param>
/// <param name="Flow">The flow that produced the operation.</param>
/// <param name="ErrorClass">The outcome class of the dead letter (<c>Permanent</c>, <c>Transient</c>, <c>OutcomeUnknown</c>, …).</param>
/// <param name="From">Dead-lettered at or after this time.</param>
/// <param name="To">Dead-lettered before this time.</param>
public sealed record DeadLetterFilter(
    string? Connector = null, string? Flow = null, string? ErrorClass = null, DateTimeOffset? From = null, DateTimeOffset? To = null)
{
    /// <summary>Every dead letter.</summary>
    public static DeadLetterFilter All { get; } = new();

    /// <summary>True when nothing narrows the filter (a bulk action over it touches every dead letter).</summary>
    public bool IsEmpty => Connector is null && Flow is null && ErrorClass is null && From is null && To is null;
}
