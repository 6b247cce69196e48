using FieldOps.Integration.Core.Connectors;
namespace FieldOps.Integration.Core.Outbox;

/// <summary>One call to a target, as kept in the attempts history.</summary>
/// <param name="Attempt">The attempt number.</param>
/// <param name="StartedAt">When the call started.</param>
/// <param name="Duration">How long it took.</param>
/// <param name="Outcome">How it ended.</param>
/// <param name="StatusCode">The HTTP status, if any.</param>
/// <param name="Message">The target's words, bounded.</param>
/// <param name="ResponseExcerpt">A bounded excerpt of the response with secrets removed.</param>
/// <param name="Instance">
/// The instance (<c>{name}:{pid}:{hex}</c>) that made the call, as stored; null before it is stored and for attempts
/// recorded before migration 0231.
/// </param>
public sealed record AttemptRecord(
    int Attempt, DateTimeOffset StartedAt, TimeSpan Duration, OutcomeKind Outcome, int? StatusCode, string? Message, string? ResponseExcerpt,
    string? Instance = null);
