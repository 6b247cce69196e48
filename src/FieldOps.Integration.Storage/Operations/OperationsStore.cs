using Dapper;
using FieldOps.Integration.Core.Connectors;
using FieldOps.Integration.Core.Inbox;
using FieldOps.Integration.Core.Operations;
using FieldOps.Integration.Core.Outbox;

namespace FieldOps.Integration.Storage.Operations;

/// <summary>The operator's side of the store over Dapper (reads here, actions in <c>OperationsStore.Actions.cs</c>).</summary>
public sealed partial class OperationsStore(IStoreConnections connections, IInboxStore inbox, TimeProvider time) : IOperationsStore
{
    private readonly OperationsQueries _queries = new(connections.Dialect);

    public async Task<IReadOnlyList<DeadLetter>> ListDeadLettersAsync(
        DeadLetterFilter filter, int limit, long? beforeSeq, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var parameters = new DynamicParameters();
        var where = OperationsQueries.DeadWhere(filter, parameters);
        if (beforeSeq is { } before)
        {
            where += " AND seq < @Before";
            parameters.Add("Before", before);
        }
        parameters.Add("Limit", limit);
        await using var connection = await connections.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<DeadRow>(new CommandDefinition(
            $"SELECT {OperationsQueries.DeadColumns} FROM outbox {where} ORDER BY seq DESC {_queries.Dialect.Limit("@Limit")}", parameters,
            cancellationToken: cancellationToken)).ConfigureAwait(false);
        return rows.Select(r => r.ToDeadLetter()).ToList();
    }

    public async Task<IReadOnlyList<string?>> NewestDeadReasonsAsync(IReadOnlyList<DeadLetterFilter> filters, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filters);
        var reasons = new List<string?>(filters.Count);
        if (filters.Count == 0)
            return reasons;
        await using var connection = await connections.OpenAsync(cancellationToken).ConfigureAwait(false);
        foreach (var filter in filters)
        {
            var parameters = new DynamicParameters();
            var where = OperationsQueries.DeadWhere(filter, parameters);
            // Ordered by the dead time, the last column of ix_outbox_dead, so it is one seek (by seq it sorted the group).
            reasons.Add(await connection.QueryFirstOrDefaultAsync<string?>(new CommandDefinition(
                $"SELECT dead_reason FROM outbox {where} ORDER BY completed_at DESC {_queries.Dialect.Limit("1")}", parameters,
                cancellationToken: cancellationToken)).ConfigureAwait(false));
        }
        return reasons;
    }

    public async Task<IReadOnlyList<DeadLetterGroup>> GroupDeadLettersAsync(DeadLetterFilter filter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var parameters = new DynamicParameters();
        var where = OperationsQueries.DeadWhere(filter, parameters);
        await using var connection = await connections.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<GroupRow>(new CommandDefinition(
            "SELECT connector, flow, dead_class, COUNT(*) AS n, MIN(completed_at) AS first_at, MAX(completed_at) AS last_at " +
            $"FROM outbox {where} GROUP BY connector, flow, dead_class ORDER BY n DESC, connector, flow", parameters,
            cancellationToken: cancellationToken)).ConfigureAwait(false);
        return rows.Select(r => r.ToGroup()).ToList();
    }

    public async Task<IReadOnlyList<string>> FindDeadLetterIdsAsync(DeadLetterFilter filter, int max, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var parameters = new DynamicParameters();
        var where = OperationsQueries.DeadWhere(filter, parameters);
        parameters.Add("Max", max);
        await using var connection = await connections.OpenAsync(cancellationToken).ConfigureAwait(false);
        var ids = await connection.QueryAsync<string>(new CommandDefinition(
            $"SELECT id FROM outbox {where} ORDER BY seq {_queries.Dialect.Limit("@Max")}", parameters, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return ids.ToList();
    }

    public async Task<OperationRow?> GetOperationAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken).ConfigureAwait(false);
        var row = await connection.QuerySingleOrDefaultAsync<FullRow>(new CommandDefinition(
            $"SELECT {OperationsQueries.RowColumns} FROM outbox WHERE id = @id", new { id }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return row?.ToRow(time.GetUtcNow());
    }

    public async Task<EventLife?> GetEventLifeAsync(long inboxEventId, CancellationToken cancellationToken)
    {
        var inboxEvent = await inbox.GetAsync(inboxEventId, cancellationToken).ConfigureAwait(false);
        if (inboxEvent is null)
            return null;
        var now = time.GetUtcNow();
        await using var connection = await connections.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<FullRow>(new CommandDefinition(
            $"SELECT {OperationsQueries.RowColumns} FROM outbox WHERE inbox_event_id = @inboxEventId ORDER BY seq", new { inboxEventId },
            cancellationToken: cancellationToken)).ConfigureAwait(false);
        var attempts = await connection.QueryAsync<AttemptEntryRow>(new CommandDefinition(
            "SELECT a.outbox_id, a.attempt, a.started_at, a.duration_ms, a.outcome, a.status_code, a.message, a.response_excerpt, a.instance " +
            "FROM outbox_attempt a JOIN outbox o ON o.id = a.outbox_id WHERE o.inbox_event_id = @inboxEventId ORDER BY a.id", new { inboxEventId },
            cancellationToken: cancellationToken)).ConfigureAwait(false);
        var actions = await connection.QueryAsync<ActionRow>(new CommandDefinition(
            "SELECT a.outbox_id, a.action, a.at, a.previous_state, a.previous_reason, a.attempts_before, a.note, a.related_id " +
            "FROM outbox_action a JOIN outbox o ON o.id = a.outbox_id WHERE o.inbox_event_id = @inboxEventId ORDER BY a.id", new { inboxEventId },
            cancellationToken: cancellationToken)).ConfigureAwait(false);
        return new EventLife(
            inboxEvent,
            rows.Select(r => r.ToRow(now)).ToList(),
            attempts.Select(a => new AttemptEntry(a.outbox_id, new AttemptRecord((int)a.attempt, DateTimeOffset.FromUnixTimeMilliseconds(a.started_at),
                TimeSpan.FromMilliseconds(a.duration_ms), Enum.Parse<OutcomeKind>(a.outcome), a.status_code is { } s ? (int)s : null, a.message,
                a.response_excerpt, a.instance))).ToList(),
            actions.Select(a => a.ToAction()).ToList());
    }

    public async Task<IReadOnlyList<long>> FindEventIdsAsync(string term, int max, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(term);
        await using var connection = await connections.OpenAsync(cancellationToken).ConfigureAwait(false);
        var ids = await connection.QueryAsync<long>(new CommandDefinition(
            $"{OperationsQueries.EventsNamedBy} {_queries.Dialect.Limit("@Max")}", new { Term = term.Trim(), Max = max },
            cancellationToken: cancellationToken)).ConfigureAwait(false);
        return ids.ToList();
    }

    public async Task<IReadOnlyList<BacklogEntry>> GetBacklogAsync(CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<BacklogRow>(new CommandDefinition(OperationsQueries.Backlog, cancellationToken: cancellationToken))
            .ConfigureAwait(false);
        return rows.Select(r => new BacklogEntry(r.connector, r.pending, Time.From(r.oldest))).ToList();
    }

    public async Task<IReadOnlyList<ThroughputBucket>> GetThroughputAsync(DateTimeOffset since, TimeSpan slice, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(slice, TimeSpan.FromSeconds(1));
        var sinceMs = since.ToUnixTimeMilliseconds();
        var sliceMs = (long)slice.TotalMilliseconds;
        await using var connection = await connections.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<ThroughputRow>(new CommandDefinition(
            OperationsQueries.Throughput, new { Since = sinceMs, SliceMs = sliceMs }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return rows.Select(r => new ThroughputBucket(r.connector, DateTimeOffset.FromUnixTimeMilliseconds(sinceMs + r.slice * sliceMs), r.delivered, r.failed))
            .ToList();
    }

    public async Task<IReadOnlyList<SourceIntake>> CountIntakeAsync(CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<IntakeRow>(new CommandDefinition(
            "SELECT source, COUNT(*) AS n, MAX(received_at) AS last_at FROM inbox GROUP BY source", cancellationToken: cancellationToken)).ConfigureAwait(false);
        return rows.Select(r => new SourceIntake(r.source, r.n, Time.From(r.last_at))).ToList();
    }

    public async Task<IReadOnlyList<StateCount>> CountHeldAsync(CancellationToken cancellationToken, bool blockedOnly = false)
    {
        await using var connection = await connections.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<HeldRow>(new CommandDefinition(blockedOnly ? OperationsQueries.Blocked : OperationsQueries.Held, cancellationToken: cancellationToken))
            .ConfigureAwait(false);
        return rows.Select(r => new StateCount(r.connector, r.state, r.n)).ToList();
    }

    public async Task<IReadOnlyList<TokenState>> ListTokenStatesAsync(CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<TokenRow>(new CommandDefinition(OperationsQueries.Tokens, cancellationToken: cancellationToken))
            .ConfigureAwait(false);
        return rows.Select(r => new TokenState(r.connection, Time.From(r.expires_at), r.broken_reason)).ToList();
    }
}
