namespace FieldOps.Integration.Core.Sources;

/// <summary>What a page did to the inbox.</summary>
/// <param name="Appended">New events to route.</param>
/// <param name="Stale">Older versions than one already routed: recorded as <c>stale</c>, not routed.</param>
/// <param name="Duplicates">Changes already in the inbox (by dedup key, or the same entity version and topic from a webhook).</param>
public readonly record struct PolledAppendResult(int Appended, int Stale, int Duplicates);
