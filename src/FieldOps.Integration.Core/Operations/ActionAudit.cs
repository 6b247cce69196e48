namespace FieldOps.Integration.Core.Operations;

/// <summary>
/// The audit entry an action writes in its own transaction: who, what and on what, and how it ended (from the rows the
/// transaction changed). The /ops page, the admin API and the CLI each name their actor.
/// </summary>
/// <param name="Actor">Who: the operator's login name and address, <c>admin API key (address)</c> or <c>cli user NAME</c>.</param>
/// <param name="Action">What: <c>replay</c>, <c>replay-group</c>, <c>discard</c>.</param>
/// <param name="Target">On what: the outbox row or the group's filter.</param>
/// <param name="Detail">How it ended, given the rows the action changed in that transaction.</param>
public sealed record ActionAudit(string Actor, string Action, string Target, Func<int, string> Detail);
