namespace FieldOps.Integration.Core.Operations;

/// <summary>
/// What an operator does with dead letters — list, group, inspect, replay one or many, discard — the one set of
/// functions behind both the <c>/admin</c> API and the <c>fieldops deadletters</c> command.
/// </summary>
public sealed class DeadLetterService(IOperationsStore store, OperationsMetrics metrics)
{
    /// <summary>The most rows one list call returns.</summary>
    public const int MaxPage = 1000;

    /// <summary>The most dead letters one bulk replay takes when the caller names no bound.</summary>
    public const int DefaultBulkLimit = 10_000;

    /// <summary>Dead letters matching <paramref name="filter"/>, newest first (page with <paramref name="beforeSeq"/>).</summary>
    public Task<IReadOnlyList<DeadLetter>> ListAsync(DeadLetterFilter filter, int limit, long? beforeSeq, CancellationToken cancellationToken) =>
        store.ListDeadLettersAsync(filter, Math.Clamp(limit, 1, MaxPage), beforeSeq, cancellationToken);

    /// <summary>Counts with first and last time per connector, flow and outcome class.</summary>
    public Task<IReadOnlyList<DeadLetterGroup>> GroupAsync(DeadLetterFilter filter, CancellationToken cancellationToken) =>
        store.GroupDeadLettersAsync(filter, cancellationToken);

    /// <summary>The newest dead letter's reason in each group, in the order given (null for an empty group).</summary>
    public Task<IReadOnlyList<string?>> NewestReasonsAsync(IReadOnlyList<DeadLetterGroup> groups, CancellationToken cancellationToken) =>
        store.NewestDeadReasonsAsync(groups.Select(g => new DeadLetterFilter(g.Connector, g.Flow, g.ErrorClass)).ToList(), cancellationToken);

    /// <summary>The row and the whole life of its event; null when there is no such row.</summary>
    public async Task<(OperationRow Row, EventLife Life)?> ShowAsync(string id, CancellationToken cancellationToken)
    {
        var row = await store.GetOperationAsync(id, cancellationToken).ConfigureAwait(false);
        if (row is null)
            return null;
        var life = await store.GetEventLifeAsync(row.InboxEventId, cancellationToken).ConfigureAwait(false);
        return life is null ? null : (row, life);
    }

    /// <summary>Puts one dead letter back in the queue; false when <paramref name="id"/> is not a dead letter.</summary>
    public async Task<bool> ReplayAsync(string id, CancellationToken cancellationToken)
    {
        var replayed = await store.ReplayAsync([id], "replayed by an operator", cancellationToken).ConfigureAwait(false);
        metrics.OperatorAction(OperationActions.Replay, replayed);
        return replayed == 1;
    }

    /// <summary>Replays every dead letter matching <paramref name="filter"/>, oldest first, at most <paramref name="max"/>; returns how many.</summary>
    public async Task<int> ReplayMatchingAsync(DeadLetterFilter filter, int max, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(max);
        var ids = await store.FindDeadLetterIdsAsync(filter, max, cancellationToken).ConfigureAwait(false);
        var replayed = await store.ReplayAsync(ids, $"bulk replay ({Describe(filter)})", cancellationToken).ConfigureAwait(false);
        metrics.OperatorAction(OperationActions.Replay, replayed);
        return replayed;
    }

    /// <summary>Gives up on a dead (or blocked) row with a reason; releases the rows behind it. False when it is neither.</summary>
    public async Task<bool> DiscardAsync(string id, string reason, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        var discarded = await store.DiscardAsync(id, reason.Trim(), cancellationToken).ConfigureAwait(false);
        metrics.OperatorAction(OperationActions.Discard, discarded ? 1 : 0);
        return discarded;
    }

    /// <summary>The filter as one line, for the action's note.</summary>
    public static string Describe(DeadLetterFilter filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var parts = new List<string>();
        if (filter.Connector is not null)
            parts.Add($"connector={filter.Connector}");
        if (filter.Flow is not null)
            parts.Add($"flow={filter.Flow}");
        if (filter.ErrorClass is not null)
            parts.Add($"class={filter.ErrorClass}");
        if (filter.From is { } from)
            parts.Add($"from={from:O}");
        if (filter.To is { } to)
            parts.Add($"to={to:O}");
        return parts.Count == 0 ? "all" : string.Join(' ', parts);
    }
}
