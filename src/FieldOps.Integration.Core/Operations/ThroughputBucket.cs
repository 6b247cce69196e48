namespace FieldOps.Integration.Core.Operations;

/// <summary>One connector's delivery attempts in one time slice: how many delivered and how many did not.</summary>
/// <param name="Connector">The connector.</param>
/// <param name="Start">The slice's start.</param>
/// <param name="Delivered">Attempts that delivered.</param>
/// <param name="Failed">Attempts with any other outcome (retried, throttled, dead-lettered).</param>
public sealed record ThroughputBucket(string Connector, DateTimeOffset Start, long Delivered, long Failed);
