namespace FieldOps.Integration.Core.Operations;

/// <summary>One confirmed operator action: who, when, what, on what, and how it ended.</summary>
/// <param name="Id">Its place in the log (0 before it is written).</param>
/// <param name="At">When.</param>
/// <param name="Actor">Who: the name given at login and the address it came from.</param>
/// <param name="Action">What: <c>replay</c>, <c>replay-group</c>, <c>discard</c>, <c>reroute</c>, <c>rewind</c>.</param>
/// <param name="Target">On what: the outbox row, the group's filter, the event or the source.</param>
/// <param name="Detail">How it ended, with the operator's reason.</param>
public sealed record AuditEntry(long Id, DateTimeOffset At, string Actor, string Action, string Target, string? Detail);
