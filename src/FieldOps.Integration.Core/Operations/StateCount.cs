namespace FieldOps.Integration.Core.Operations;

/// <summary>How many rows of a connector sit in a held state (dead or blocked). By class: see the dead-letter groups.</summary>
public sealed record StateCount(string Connector, string State, long Count);
