namespace FieldOps.Integration.Core.Operations;

/// <summary>Dead letters grouped by connector, flow and outcome class, with how many and when.</summary>
public sealed record DeadLetterGroup(string Connector, string Flow, string? ErrorClass, long Count, DateTimeOffset? FirstAt, DateTimeOffset? LastAt);
