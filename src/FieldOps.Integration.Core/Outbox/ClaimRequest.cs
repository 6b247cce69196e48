namespace FieldOps.Integration.Core.Outbox;

/// <summary>One connector's part of a claim: at most <paramref name="Max"/> rows, none of the connections in <paramref name="PausedConnections"/>.</summary>
public sealed record ClaimRequest(string Connector, int Max, IReadOnlyCollection<string> PausedConnections);
