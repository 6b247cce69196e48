namespace FieldOps.Integration.Core.Sources;

/// <summary>One page to fetch.</summary>
/// <param name="Source">The source name (<c>Sources:{name}</c>).</param>
/// <param name="Since">Records changed at or after this; null: all.</param>
/// <param name="Cursor">The page to read (cursor or page number, as the adapter wrote it); null: the first.</param>
public sealed record PollRequest(string Source, DateTimeOffset? Since, string? Cursor);
