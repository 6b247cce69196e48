namespace FieldOps.Integration.Core.Operations;

/// <summary>A connection's token as the store holds it (never the token itself).</summary>
/// <param name="Connection">The connection (<c>quickbooks:default</c>).</param>
/// <param name="ExpiresAt">When the access token expires, if known.</param>
/// <param name="BrokenReason">Why the connection is broken, if it is.</param>
public sealed record TokenState(string Connection, DateTimeOffset? ExpiresAt, string? BrokenReason);
