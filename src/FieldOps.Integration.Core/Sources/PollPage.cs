namespace FieldOps.Integration.Core.Sources;

/// <summary>A page of polled records.</summary>
/// <param name="Records">The records, in the source's order.</param>
/// <param name="NextCursor">The next page's cursor or number; null when this was the last page.</param>
public sealed record PollPage(IReadOnlyList<PolledRecord> Records, string? NextCursor);
