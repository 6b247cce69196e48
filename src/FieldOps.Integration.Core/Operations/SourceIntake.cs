namespace FieldOps.Integration.Core.Operations;

/// <summary>What one source has put in the inbox (webhooks and polled records still kept) and when the newest arrived.</summary>
public sealed record SourceIntake(string Source, long Received, DateTimeOffset? LastAt);
