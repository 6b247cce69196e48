namespace FieldOps.Integration.Core.Operations;

/// <summary>How many rows of a connector sit in a held state (dead or blocked), by outcome class.</summary>
public sealed record StateCount(string Connector, string State, string? ErrorClass, long Count);
