using System.Data.Common;
using Dapper;
using FieldOps.Integration.Core.Connectors;
using FieldOps.Integration.Core.Outbox;
using FieldOps.Integration.Core.Storage;

namespace FieldOps.Integration.Storage.Outbox;

/// <summary>
/// The dispatcher's side of the <c>outbox</c> table over Dapper; the claim SQL lives in <see cref="OutboxQueries"/>.
/// Claims and write-backs go through the <c>relaxed</c> connections (by default the store's
/// <see cref="IStoreConnections.ForRepeatableWrites"/>, SQLite <c>synchronous=NORMAL</c>):
/// losing one of those to a power cut only repeats work — the row is claimed and delivered again, idempotently —
/// while the in-flight mark of a non-idempotent call, which must survive anything, always uses the durable ones.
/// </summary>
/// <remarks>
/// Write-backs and in-flight marks are group-committed (<see cref="GroupCommit{TItem, TResult}"/>): the rows finished
/// together share one transaction, and each caller returns only after its commit. On SQLite a claim joins the
/// write-backs' group too (one write lock: one transaction, on the group writer's own connection, instead of a turn
/// each); a server database claims in a transaction of its own, beside the others.
/// </remarks>
public sealed partial class OutboxStore : IOutboxStore, IAsyncDisposable
{
    private const int MaxGroup = 64;
    // The write-back's UPDATE and attempt INSERT, one pair of commands per connection (issue 15: preparing the UPDATE once
    // gave ~12 % more deliveries/s in the dispatcher bench, the INSERT 1.00-1.32x more).
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<DbConnection, OutboxQueries.ConnectionCommands> ConnectionCommandsOf = new();

    // The claim's, the write-back's and the in-flight mark's reused commands on this connection.
    private static OutboxQueries.ConnectionCommands CommandsOf(DbConnection connection) =>
        ConnectionCommandsOf.GetValue(connection, c => new OutboxQueries.ConnectionCommands(c));
    private static readonly TimeSpan SweepInterval = TimeSpan.FromSeconds(30);
    private readonly IStoreConnections connections;
    private readonly TimeProvider time;
    private readonly OutboxQueries _queries;
    private readonly IStoreConnections _relaxed;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, DateTimeOffset> _swept = new(StringComparer.Ordinal);
    // Write-backs, and on SQLite the claims too: one writer, one connection, one transaction for what arrived together.
    private readonly GroupCommit<Func<DbConnection, DbTransaction, Task<object?>>, object?> _writes;
    private readonly bool _claimInGroup;
    private readonly GroupCommit<(string Id, string Owner, int Attempts, long FirstAttemptAt, long Now), int> _marks;
    // A server database that runs statements in batches (PostgreSQL): write-backs in a group of their own, one batch each.
    private readonly GroupCommit<WriteBack, bool>? _writeBacks;

    public OutboxStore(IStoreConnections connections, TimeProvider time, IStoreConnections? relaxed = null)
    {
        ArgumentNullException.ThrowIfNull(connections);
        this.connections = connections;
        this.time = time;
        _queries = new(connections.Dialect);
        _relaxed = relaxed ?? connections.ForRepeatableWrites();
        _writes = new(_relaxed, MaxGroup, (c, t, write) => write(c, t));
        // SQLite has one write lock: a claim between two write-back groups would take it once more and make the writer's
        // next transaction read every page again (another connection wrote). A server database claims on its own.
        _claimInGroup = connections.Provider == StoreProvider.Sqlite;
        // A server database that runs statements in batches: the write-backs of a group in one batch (the relaxed connections).
        if (connections.Dialect.BatchesWriteBacks)
            _writeBacks = new(_relaxed, MaxGroup, (c, t, w) => WriteUpdateAsync(c, t, w.Update, w.Owner, w.NowMs), WriteUpdatesInOneBatchAsync);
        // The in-flight mark must survive a power cut before the call: the durable connections, committed as a group.
        _marks = new(connections, MaxGroup, (c, t, m) =>
            OutboxQueries.ConnectionCommands.ExecuteAsync(CommandsOf(c).MarkInFlight, t, m.Id, m.Owner, m.Attempts, m.FirstAttemptAt, m.Now),
            connections.Dialect.BatchesWriteBacks ? MarkInOneBatchAsync : null);
    }

    // Issue 15: a group's in-flight marks in one batch, one round trip (a round trip each before, ~3 a job on PostgreSQL);
    // each caller hears its own row count, as alone.
    private static async Task<IReadOnlyList<int>> MarkInOneBatchAsync(
        DbConnection connection, DbTransaction transaction, IReadOnlyList<(string Id, string Owner, int Attempts, long FirstAttemptAt, long Now)> marks)
    {
        await using var batch = connection.CreateBatch();
        batch.Transaction = transaction;
        var commands = new DbBatchCommand[marks.Count];
        for (var i = 0; i < marks.Count; i++)
        {
            var (id, owner, attempts, firstAttemptAt, now) = marks[i];
            commands[i] = OutboxQueries.AddTo(batch, OutboxQueries.MarkInFlight, OutboxQueries.MarkParameters, [id, owner, attempts, firstAttemptAt, now]);
        }
        await batch.ExecuteNonQueryAsync().ConfigureAwait(false);
        return Array.ConvertAll(commands, c => c.RecordsAffected);
    }

    public async Task<bool> MarkInFlightAsync(
        string id, string owner, int attempts, DateTimeOffset firstAttemptAt, DateTimeOffset now, CancellationToken cancellationToken) =>
        await _marks.WriteAsync((id, owner, attempts, firstAttemptAt.ToUnixTimeMilliseconds(), now.ToUnixTimeMilliseconds()), cancellationToken)
            .ConfigureAwait(false) == 1;

    public async Task<bool> UpdateAsync(OutboxUpdate update, string owner, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(update);
        var nowMs = now.ToUnixTimeMilliseconds();
        if (_writeBacks is not null)
            return await _writeBacks.WriteAsync(new WriteBack(update, owner, nowMs), cancellationToken).ConfigureAwait(false);
        return (bool)(await _writes.WriteAsync(
            async (c, t) => await WriteUpdateAsync(c, t, update, owner, nowMs).ConfigureAwait(false), cancellationToken).ConfigureAwait(false))!;
    }

    public async Task<int> RenewLeasesAsync(string owner, DateTimeOffset now, TimeSpan lease, CancellationToken cancellationToken)
    {
        var nowMs = now.ToUnixTimeMilliseconds();
        await using var connection = await _relaxed.OpenAsync(cancellationToken).ConfigureAwait(false);
        using var turn = await _relaxed.TakeWriteTurnAsync(WritePriority.Normal, cancellationToken).ConfigureAwait(false);
        return await connection.ExecuteAsync(new CommandDefinition(OutboxQueries.RenewLeases,
            new { Owner = owner, Now = nowMs, Until = nowMs + (long)lease.TotalMilliseconds, Soon = nowMs + RenewWithin(lease) },
            cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    /// <summary>
    /// Which leases a renewal extends: those ending within five sixths of a lease. The dispatcher renews every third of a
    /// lease, so a held row is renewed while at least half a lease is left: a renewal may come that late (a stalled
    /// machine, a write lock held) before another worker can take the row. With two thirds, a row could reach its
    /// renewal with only a third left (a 4 s lease's renewal 1.3 s late let a second worker call again, in CI). A row
    /// delivered within a sixth of a lease of its claim (nearly all: 50 s of the default 5 minutes) is never written by
    /// the renewal — with several workers on one server database, renewing every held row was the largest row-lock wait
    /// beside the write-backs of the same rows.
    /// </summary>
    private static long RenewWithin(TimeSpan lease) => (long)(lease.TotalMilliseconds * 5 / 6);

    public async Task<long> CountLeasesAsync(string owner, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(OutboxQueries.CountLeases,
            new { Owner = owner, Now = now.ToUnixTimeMilliseconds() }, cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await _writes.DisposeAsync().ConfigureAwait(false);
        if (_writeBacks is not null)
            await _writeBacks.DisposeAsync().ConfigureAwait(false);
        await _marks.DisposeAsync().ConfigureAwait(false);
    }

    public async Task<int> ReleaseAllAsync(string owner, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken).ConfigureAwait(false);
        using var turn = await connections.TakeWriteTurnAsync(WritePriority.Normal, cancellationToken).ConfigureAwait(false);
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
            "SELECT attempt, started_at, duration_ms, outcome, status_code, message, response_excerpt, instance FROM outbox_attempt WHERE outbox_id = @id ORDER BY id",
            new { id }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return rows.Select(r => new AttemptRecord((int)r.attempt, DateTimeOffset.FromUnixTimeMilliseconds(r.started_at),
            TimeSpan.FromMilliseconds(r.duration_ms), Enum.Parse<OutcomeKind>(r.outcome), r.status_code is { } s ? (int)s : null,
            r.message, r.response_excerpt, r.instance)).ToList();
    }

    private async Task<bool> ChangeDeadLetterAsync(string id, string sql, string? reason, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        await using var connection = await connections.OpenAsync(cancellationToken).ConfigureAwait(false);
        using var turn = await connections.TakeWriteTurnAsync(WritePriority.Normal, cancellationToken).ConfigureAwait(false);
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
