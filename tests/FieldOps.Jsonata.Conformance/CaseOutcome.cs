namespace FieldOps.Jsonata.Conformance;

/// <summary>The outcome of running one case.</summary>
/// <param name="Passed">True when the case's expectation was met.</param>
/// <param name="Reason">Why it failed (empty when passed).</param>
/// <param name="ResultJson">Compact JSON of the result (null when undefined or error).</param>
/// <param name="ErrorCode">Error code raised, if any.</param>
public sealed record CaseOutcome(bool Passed, string Reason, string? ResultJson, string? ErrorCode);
