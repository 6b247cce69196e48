using System.Data.Common;
using System.Text.Json;
using System.Threading.Channels;
using Dapper;
using FieldOps.Integration.Core.Inbox;
using Microsoft.Extensions.Logging;

namespace FieldOps.Integration.Storage.Inbox;

/// <summary>
/// The inbox over Dapper. Appends use group commit: concurrent requests queue their events, one writer commits them
/// in a single transaction, and each request hears back only after that commit — every 2xx stays durable while one
/// fsync serves many webhooks.
/// </summary>
public sealed partial class InboxStore : IInboxStore, IAsyncDisposable
{
    private static readonly string[] DedupKey = ["source", "dedup_key"];

    private const string FindSql = "SELECT id FROM inbox WHERE source = @Source AND dedup_key = @DedupKey";

    private readonly IStoreConnections _connections;
    private readonly string _insertSql;
    private readonly string _polledInsertSql;
    private readonly string _claimNewSql;
    private readonly ILogger<InboxStore> _logger;
    private readonly int _maxBatch;
    private readonly Channel<PendingAppend> _queue = Channel.CreateUnbounded<PendingAppend>(new() { SingleReader = true });
    private readonly Task _writer;
    // The writer's own: its connection, kept from group to group; and whether the last commit reached its inserts (a
    // failure before them — opening, the write turn, BEGIN — is the store's, not one event's; PostgreSQL sends BEGIN
    // with the first insert, so there a dead server may fail only then).
    private DbConnection? _connection;
    private bool _reachedInserts;

    public InboxStore(IStoreConnections connections, StoreOptions options, ILogger<InboxStore> logger)
    {
        ArgumentNullException.ThrowIfNull(connections);
        ArgumentNullException.ThrowIfNull(options);
        _connections = connections;
        // The unique (source, dedup_key) decides a duplicate: the insert then returns no id.
        _insertSql = connections.Dialect.InsertIfAbsent("inbox",
            ["source", "dedup_key", "received_at", "content_type", "headers", "body", "payload", "state", "trace_parent"],
            ["@Source", "@DedupKey", "@ReceivedAt", "@ContentType", "@Headers", "@Body", "@Payload", "'new'", "@TraceParent"], DedupKey, "id");
        _polledInsertSql = connections.Dialect.InsertIfAbsent("inbox",
            ["source", "dedup_key", "received_at", "content_type", "headers", "body", "payload", "state", "state_reason", "routed_at", "trace_parent"],
            ["@Source", "@DedupKey", "@ReceivedAt", "'application/json'", "'{}'", "@Body", "NULL", "@State", "@Reason", "@RoutedAt", "@TraceParent"], DedupKey, "id");
        _claimNewSql = connections.Dialect.ClaimRows("inbox", "i",
            "i.state = 'new' AND (i.route_lease_until IS NULL OR i.route_lease_until < @now OR i.route_lease_owner = @owner)", "i.id", "@limit",
            "route_lease_owner = @owner, route_lease_until = @until", InboxRow.Columns.Split(", "));
        _logger = logger;
        _maxBatch = options.MaxGroupCommit;
        _writer = Task.Run(WriteLoopAsync);
    }

    public async Task<InboxAppendResult> AppendAsync(NewInboxEvent inboxEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(inboxEvent);
        var pending = new PendingAppend(inboxEvent);
        if (!_queue.Writer.TryWrite(pending))
            throw new ObjectDisposedException(nameof(InboxStore), "The inbox is shutting down.");
        // The caller may stop waiting; the event may still commit, and a redelivery then finds it as a duplicate.
        return await pending.Completion.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<InboxEvent?> GetAsync(long id, CancellationToken cancellationToken)
    {
        await using var connection = await _connections.OpenAsync(cancellationToken).ConfigureAwait(false);
        var row = await connection.QuerySingleOrDefaultAsync<InboxRow>(
            new CommandDefinition($"SELECT {InboxRow.Columns} FROM inbox WHERE id = @id", new { id }, cancellationToken: cancellationToken))
            .ConfigureAwait(false);
        return row?.ToEvent();
    }

    public async Task<IReadOnlyList<InboxEvent>> ListAsync(string state, long afterId, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await _connections.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<InboxRow>(new CommandDefinition(
            $"SELECT {InboxRow.Columns} FROM inbox WHERE state = @state AND id > @afterId ORDER BY id {_connections.Dialect.Limit("@limit")}",
            new { state, afterId, limit }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return rows.Select(r => r.ToEvent()).ToList();
    }

    public async Task<IReadOnlyList<InboxEvent>> ClaimNewAsync(string owner, int limit, DateTimeOffset now, TimeSpan lease, CancellationToken cancellationToken)
    {
        await using var connection = await _connections.OpenAsync(cancellationToken).ConfigureAwait(false);
        // SQLite: a non-deferred transaction is BEGIN IMMEDIATE, so the select-and-update runs under the write lock.
        using var turn = await _connections.TakeWriteTurnAsync(WritePriority.Normal, cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<InboxRow>(new CommandDefinition(_claimNewSql,
            new { owner, limit, now = now.ToUnixTimeMilliseconds(), until = (now + lease).ToUnixTimeMilliseconds() },
            transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return rows.Select(r => r.ToEvent()).OrderBy(e => e.Id).ToList();
    }

    public async Task<long> CountAsync(CancellationToken cancellationToken)
    {
        await using var connection = await _connections.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition("SELECT COUNT(*) FROM inbox", cancellationToken: cancellationToken))
            .ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _writer.ConfigureAwait(false);
    }

    private async Task WriteLoopAsync()
    {
        var batch = new List<PendingAppend>(_maxBatch);
        while (await _queue.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            batch.Clear();
            while (batch.Count < _maxBatch && _queue.Reader.TryRead(out var pending))
                batch.Add(pending);
#pragma warning disable CA1031 // Whatever failed, the writer answers its callers and goes on: ended, it would leave every later webhook waiting for ever.
            try
            {
                await CommitAndAnswerAsync(batch, topUp: true).ConfigureAwait(false);
            }
            catch (Exception ex) when (batch.Count > 1 && _reachedInserts)
            {
                // One event the store refuses must not fail the webhooks that shared its commit: each is tried alone (the
                // group's transaction was rolled back; an event that did commit after all is found as a duplicate).
                _logger.LogWarning(ex, "Inbox commit of {Count} events failed; committing each alone", batch.Count);
                for (var i = 0; i < batch.Count; i++)
                {
                    try
                    {
                        await CommitAndAnswerAsync([batch[i]], topUp: false).ConfigureAwait(false);
                    }
                    catch (Exception alone) when (_reachedInserts && !IsTheStores(alone))
                    {
                        Fail([batch[i]], alone);
                    }
                    catch (Exception alone)
                    {
                        // Failed before its insert (opening, the write turn, BEGIN), or timed out, or a fault the driver
                        // calls transient (a lost connection): the store's fault, not the event's — the rest hear it too,
                        // rather than each waiting out the same timeout.
                        Fail(batch.GetRange(i, batch.Count - i), alone);
                        break;
                    }
                }
            }
            catch (Exception ex)
            {
                Fail(batch, ex);
            }
#pragma warning restore CA1031
        }
        await CloseAsync().ConfigureAwait(false);
    }

    // Commits the events on the writer's connection (opened if need be) and answers each caller. A failed commit closes the
    // connection, which may be what failed (a file replaced, a disk error); the next opens a new one.
    private async Task CommitAndAnswerAsync(List<PendingAppend> batch, bool topUp)
    {
        _reachedInserts = false;
        try
        {
            _connection ??= await _connections.OpenAsync(CancellationToken.None).ConfigureAwait(false);
            var results = await CommitAsync(_connection, batch, topUp).ConfigureAwait(false);
            for (var i = 0; i < batch.Count; i++)
                batch[i].Completion.TrySetResult(results[i]);
        }
        catch
        {
            await CloseAsync().ConfigureAwait(false);
            throw;
        }
    }

    private static bool IsTheStores(Exception ex) => ex is TimeoutException or DbException { IsTransient: true };

    // Answers each caller that its event could not be stored (503: the sender retries).
    private void Fail(List<PendingAppend> batch, Exception ex)
    {
        _logger.LogError(ex, "Inbox commit of {Count} events failed", batch.Count);
        foreach (var pending in batch)
            pending.Completion.TrySetException(new InboxUnavailableException("The inbox could not commit the event.", ex));
    }

    private async Task CloseAsync()
    {
        var connection = _connection;
        _connection = null;
        if (connection is null)
            return;
        try
        {
            await connection.DisposeAsync().ConfigureAwait(false);
        }
#pragma warning disable CA1031 // A connection that fails to close is dropped; the writer goes on.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            _logger.LogWarning(ex, "Closing the inbox writer's connection failed");
        }
    }

    private async Task<InboxAppendResult[]> CommitAsync(DbConnection connection, List<PendingAppend> batch, bool topUp)
    {
        using var turn = await _connections.TakeWriteTurnAsync(WritePriority.Intake, CancellationToken.None).ConfigureAwait(false);
        // Webhooks queued while this group waited for the write turn join it: their acknowledgement waits for this commit,
        // not for another turn after it (issue 15: at 200 webhooks/s nearly every webhook had a turn and an fsync of its own).
        while (topUp && batch.Count < _maxBatch && _queue.Reader.TryRead(out var queued))
            batch.Add(queued);
        var results = new InboxAppendResult[batch.Count];
        await using var transaction = await connection.BeginTransactionAsync().ConfigureAwait(false);
        _reachedInserts = true;
        // The group's insert is prepared once and run for each event, or all go in one batch where the dialect allows.
        await using var commands = new TransactionCommands(connection, transaction);
        var inserted = _connections.Dialect.BatchesInsertsReturningIds && batch.Count > 1
            ? await InsertAllAsync(connection, transaction, batch).ConfigureAwait(false)
            : null;
        for (var i = 0; i < batch.Count; i++)
        {
            var e = batch[i].Event;
            var id = inserted is not null
                ? inserted[i]
                : await commands.ScalarAsync(_insertSql, CancellationToken.None, InsertValues(e)).ConfigureAwait(false);
            results[i] = id is { } newId
                ? new InboxAppendResult(newId, IsDuplicate: false)
                : new InboxAppendResult(
                    await commands.ScalarAsync(FindSql, CancellationToken.None, ("@Source", e.Source), ("@DedupKey", e.DedupKey)).ConfigureAwait(false)
                        ?? throw new InvalidOperationException($"Inbox: event ({e.Source}, {e.DedupKey}) neither inserted nor found"),
                    IsDuplicate: true);
        }
        await transaction.CommitAsync().ConfigureAwait(false);
        return results;
    }

    private static (string Name, object? Value)[] InsertValues(NewInboxEvent e) =>
    [
        ("@Source", e.Source), ("@DedupKey", e.DedupKey), ("@ReceivedAt", e.ReceivedAt.ToUnixTimeMilliseconds()), ("@ContentType", e.ContentType),
        ("@Headers", JsonSerializer.Serialize(e.Headers)), ("@Body", e.Body.ToArray()), ("@Payload", e.Payload), ("@TraceParent", e.TraceParent),
    ];

    /// <summary>
    /// Every event's insert in one batch, one round trip (issue 15: on PostgreSQL a group of 64 webhooks took 64 round
    /// trips under the intake's turn); returns each event's new id, or null for a duplicate (looked up after).
    /// </summary>
    private async Task<long?[]> InsertAllAsync(DbConnection connection, DbTransaction transaction, List<PendingAppend> batch)
    {
        await using var insert = connection.CreateBatch();
        insert.Transaction = transaction;
        foreach (var pending in batch)
        {
            var command = insert.AddStatement(_insertSql);
            foreach (var (name, value) in InsertValues(pending.Event))
                command.AddParameter(name, value: value);
        }
        var ids = new long?[batch.Count];
        await using var reader = await insert.ExecuteReaderAsync().ConfigureAwait(false);
        for (var i = 0; i < ids.Length; i++)
        {
            if (i > 0 && !await reader.NextResultAsync().ConfigureAwait(false))
                throw new InvalidOperationException($"Inbox: the batch gave {i} results for {ids.Length} events");
            if (await reader.ReadAsync().ConfigureAwait(false) && !await reader.IsDBNullAsync(0).ConfigureAwait(false))
                ids[i] = Convert.ToInt64(reader.GetValue(0), System.Globalization.CultureInfo.InvariantCulture);
        }
        return ids;
    }

    private sealed class PendingAppend(NewInboxEvent inboxEvent)
    {
        public NewInboxEvent Event { get; } = inboxEvent;

        public TaskCompletionSource<InboxAppendResult> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
