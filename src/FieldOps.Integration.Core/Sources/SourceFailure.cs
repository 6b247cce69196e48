namespace FieldOps.Integration.Core.Sources;

/// <summary>A source's last failure (its error text, already scrubbed) and when it happened.</summary>
public sealed record SourceFailure(string Error, DateTimeOffset At);
