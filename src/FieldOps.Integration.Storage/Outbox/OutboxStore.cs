using Dapper;
using FieldOps.Integration.Core.Connectors;
using FieldOps.Integration.Core.Outbox;
using FieldOps.Integration.Core.Storage;

namespace FieldOps.Integration.Storage.Outbox;

/// <summary>
/// The dispatcher's side of the <c>outbox</c> table over Dapper; its SQL lives in <see cref="OutboxQueries"/>.
/// Claims and write-backs go through <paramref name="relaxed"/> connections (by default the store's
/// <see cref="IStoreConnections.ForRepeatableWrites"/>, SQLite <c>synchronous=NORMAL</c>):
/// losing one of those to a power cut only repeats work — the row is claimed and delivered again, idempotently —
/// while the in-flight mark of a non-idempotent call, which must survive anything, always uses the durable ones.
/// </summary>
public sealed class OutboxStore(IStoreConnections connections, TimeProvider time, IDbConnectionFactory? relaxed = null) : IOutboxStore
{
    private static readonly TimeSpan SweepInterval = TimeSpan.FromSeconds(30);
    private readonly OutboxQueries _queries = new(connections.Dialect);
    private readonly IDbConnectionFactory _relaxed = relaxed ?? connections.ForRepeatableWrites();
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, DateTimeOffset> _swept = new(StringComparer.Ordinal);

    public async Task<IReadOnlyList<ClaimedOperation>> ClaimAsync(
        string connector, int max, IReadOnlyCollection<string> pausedConnections, string owner, DateTimeOffset now, TimeSpan lease,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pausedConnections);
        var nowMs = now.ToUnixTimeMilliseconds();
        await using var connection = await _relaxed.OpenAsync(cancellationToken).ConfigureAwait(false);
        // SQLite: a non-deferred transaction is BEGIN IMMEDIATE, so the select-and-update runs under the write lock.
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        if (now - _swept.GetValueOrDefault(connector) >= SweepInterval)
        {
            // Now and then, under the same lock: rows routed after their key's dead letter are shown as blocked.
            _swept[connector] = now;
            await connection.ExecuteAsync(new CommandDefinition(OutboxQueries.BlockLateArrivals, new { Connector = connector },
                transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        }
        var rows = await connection.QueryAsync<ClaimRow>(new CommandDefinition(
            _queries.Claim,
            new
            {
                Connector = connector,
                Now = nowMs,
                Until = nowMs + (long)lease.TotalMilliseconds,
                Owner = owner,
                Max = max,
                Paused = pausedConnections.ToArray(),
            },
            transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return rows.OrderBy(r => r.seq).Select(r => r.ToClaimed()).ToList();
    }

    public async Task MarkInFlightAsync(string id, string owner, int attempts, DateTimeOffset firstAttemptAt, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken).ConfigureAwait(false);
        await connection.ExecuteAsync(new CommandDefinition(OutboxQueries.MarkInFlight,
            new { Id = id, Owner = owner, Attempts = attempts, FirstAttemptAt = firstAttemptAt.ToUnixTimeMilliseconds() },
            cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    public async Task<bool> UpdateAsync(OutboxUpdate update, string owner, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(update);
        var nowMs = now.ToUnixTimeMilliseconds();
        await using var connection = await _relaxed.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var done = update.State is OutboxStates.Delivered or OutboxStates.Dead;
        var changed = await connection.ExecuteAsync(new CommandDefinition(OutboxQueries.Update, new
        {
            update.Id,
            Owner = owner,
            update.State,
            update.Attempts,
            FirstAttemptAt = update.FirstAttemptAt?.ToUnixTimeMilliseconds(),
            NextAttemptAt = update.NextAttemptAt?.ToUnixTimeMilliseconds(),
            LastOutcome = update.LastOutcome?.ToString(),
            update.LastError,
            update.DeadReason,
            update.TargetId,
            XrefWaitSince = update.XrefWaitSince?.ToUnixTimeMilliseconds(),
            CompletedAt = done ? nowMs : (long?)null,
        }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        if (changed == 0)
            return false; // the lease was no longer ours: another worker owns the row now
        foreach (var attempt in update.AttemptRecords)
        {
            await connection.ExecuteAsync(new CommandDefinition(OutboxQueries.InsertAttempt, new
            {
                OutboxId = update.Id,
                attempt.Attempt,
                StartedAt = attempt.StartedAt.ToUnixTimeMilliseconds(),
                DurationMs = (long)attempt.Duration.TotalMilliseconds,
                Outcome = attempt.Outcome.ToString(),
                attempt.StatusCode,
                attempt.Message,
                attempt.ResponseExcerpt,
            }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        }
        if (update.CrossReference is { } xref)
        {
            await connection.ExecuteAsync(new CommandDefinition(_queries.SaveXref,
                new { xref.System, xref.ObjectType, xref.SourceId, xref.TargetId, Now = nowMs },
                transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        }
        if (update.State == OutboxStates.Dead)
        {
            await connection.ExecuteAsync(new CommandDefinition(OutboxQueries.BlockSuccessors, new { update.Id },
                transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        }
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return true;
    }

    public async Task<int> ReleaseAllAsync(string owner, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await connection.ExecuteAsync(new CommandDefinition(OutboxQueries.ReleaseAll, new { Owner = owner },
            cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    public Task<bool> ReplayAsync(string id, CancellationToken cancellationToken) =>
        ChangeDeadLetterAsync(id, OutboxQueries.Replay, null, cancellationToken);

    public Task<bool> DiscardAsync(string id, string reason, CancellationToken cancellationToken) =>
        ChangeDeadLetterAsync(id, OutboxQueries.Discard, reason, cancellationToken);

    public async Task<OutboxRowStatus?> GetStatusAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken).ConfigureAwait(false);
        var row = await connection.QuerySingleOrDefaultAsync<StatusRow>(new CommandDefinition(
            "SELECT id, state, attempts, last_outcome, last_error, dead_reason, target_id, next_attempt_at, completed_at FROM outbox WHERE id = @id",
            new { id }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return row is null
            ? null
            : new OutboxRowStatus(row.id, row.state, (int)row.attempts, row.last_outcome, row.last_error, row.dead_reason, row.target_id,
                DateTimeOffset.FromUnixTimeMilliseconds(row.next_attempt_at),
                row.completed_at is { } c ? DateTimeOffset.FromUnixTimeMilliseconds(c) : null);
    }

    public async Task<IReadOnlyList<AttemptRecord>> GetAttemptsAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<AttemptRow>(new CommandDefinition(
            "SELECT attempt, started_at, duration_ms, outcome, status_code, message, response_excerpt FROM outbox_attempt WHERE outbox_id = @id ORDER BY id",
            new { id }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return rows.Select(r => new AttemptRecord((int)r.attempt, DateTimeOffset.FromUnixTimeMilliseconds(r.started_at),
            TimeSpan.FromMilliseconds(r.duration_ms), Enum.Parse<OutcomeKind>(r.outcome), r.status_code is { } s ? (int)s : null,
            r.message, r.response_excerpt)).ToList();
    }

    private async Task<bool> ChangeDeadLetterAsync(string id, string sql, string? reason, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        await using var connection = await connections.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var partitionKey = await connection.ExecuteScalarAsync<string?>(new CommandDefinition(
            "SELECT partition_key FROM outbox WHERE id = @id", new { id }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        var changed = partitionKey is not null && await connection.ExecuteAsync(new CommandDefinition(sql,
            new { Id = id, Now = now, Reason = reason }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false) == 1;
        if (changed)
        {
            await connection.ExecuteAsync(new CommandDefinition(OutboxQueries.ReleaseSuccessors,
                new { PartitionKey = partitionKey, Now = now }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        }
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return changed;
    }

}
