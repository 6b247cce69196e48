namespace FieldOps.Integration.Core.Intake;

/// <summary>One webhook request as received, for a kind that signs more than the body (e.g. the method and URI).</summary>
/// <param name="Source">The configured source name.</param>
/// <param name="Method">The HTTP method, upper-case.</param>
/// <param name="RequestUri">The full URI as called (scheme, host, path, query, escapes as sent), or null when unknown.</param>
/// <param name="Header">Reads a request header.</param>
/// <param name="Body">The raw body bytes.</param>
public sealed record WebhookDelivery(string Source, string Method, string? RequestUri, Func<string, string?> Header, ReadOnlyMemory<byte> Body);
