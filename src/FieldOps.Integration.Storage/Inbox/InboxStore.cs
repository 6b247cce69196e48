using System.Data.Common;
using System.Text.Json;
using Dapper;
using FieldOps.Integration.Core.Inbox;
using Microsoft.Extensions.Logging;

namespace FieldOps.Integration.Storage.Inbox;

/// <summary>
/// The inbox over Dapper. Appends use group commit (<see cref="GroupCommit{TItem, TResult}"/> at the intake's write
/// priority): concurrent requests queue their events, one writer commits them in a single transaction, and each request
/// hears back only after that commit — every 2xx stays durable while one fsync serves many webhooks. An event the store
/// refuses fails only its own webhook; a store that cannot commit answers the group's webhooks
/// <see cref="InboxUnavailableException"/> (503, the sender retries).
/// </summary>
public sealed partial class InboxStore : IInboxStore, IAsyncDisposable
{
    private static readonly string[] DedupKey = ["source", "dedup_key"];

    private const string FindSql = "SELECT id FROM inbox WHERE source = @Source AND dedup_key = @DedupKey";

    private readonly IStoreConnections _connections;
    private readonly string _insertSql;
    private readonly string _polledInsertSql;
    private readonly string _claimNewSql;
    private readonly GroupCommit<NewInboxEvent, InboxAppendResult> _appends;

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
        _appends = new(connections, options.MaxGroupCommit, async (c, t, e) => (await InsertAsync(c, t, [e]).ConfigureAwait(false))[0], InsertAsync,
            WritePriority.Intake, ex => new InboxUnavailableException("The inbox could not commit the event.", ex), logger);
    }

    public async Task<InboxAppendResult> AppendAsync(NewInboxEvent inboxEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(inboxEvent);
        // The caller may stop waiting; the event may still commit, and a redelivery then finds it as a duplicate.
        return await _appends.WriteAsync(inboxEvent, cancellationToken).ConfigureAwait(false);
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

    public ValueTask DisposeAsync() => _appends.DisposeAsync();

    // Inserts a group's events in the group's transaction: a result per event, in order (a duplicate's id looked up).
    private async Task<IReadOnlyList<InboxAppendResult>> InsertAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<NewInboxEvent> events)
    {
        var results = new InboxAppendResult[events.Count];
        // The group's insert is prepared once and run for each event, or all go in one batch where the dialect allows.
        await using var commands = new TransactionCommands(connection, transaction);
        var inserted = _connections.Dialect.BatchesInsertsReturningIds && events.Count > 1
            ? await InsertAllAsync(connection, transaction, events).ConfigureAwait(false)
            : null;
        for (var i = 0; i < events.Count; i++)
        {
            var e = events[i];
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
    private async Task<long?[]> InsertAllAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<NewInboxEvent> events)
    {
        await using var insert = connection.CreateBatch();
        insert.Transaction = transaction;
        foreach (var e in events)
        {
            var command = insert.AddStatement(_insertSql);
            foreach (var (name, value) in InsertValues(e))
                command.AddParameter(name, value: value);
        }
        var ids = new long?[events.Count];
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
}
