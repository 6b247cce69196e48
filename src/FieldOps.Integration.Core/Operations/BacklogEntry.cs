namespace FieldOps.Integration.Core.Operations;

/// <summary>A connector's queue at one moment: rows waiting (pending or in flight) and since when the oldest waits.</summary>
public sealed record BacklogEntry(string Connector, long Pending, DateTimeOffset? OldestCreatedAt);
