using System.Data.Common;
using Dapper;
using FieldOps.Integration.Core.Hydration;
using FieldOps.Integration.Core.Inbox;
using FieldOps.Integration.Storage.Inbox;

namespace FieldOps.Integration.Storage.Sources;

/// <summary>
/// Hydration's shared state over Dapper (<see cref="HydrationSql"/>): registrations, claims, renewals and throttle
/// pauses go through the repeatable-write connections (losing one to a power cut repeats a fetch at most); what
/// changes an event's state goes through the durable ones.
/// </summary>
public sealed class HydrationStore(IStoreConnections connections, TimeProvider time) : IHydrationStore
{
    private readonly HydrationSql _sql = new(connections.Dialect);
    private readonly IStoreConnections _relaxed = connections.ForRepeatableWrites();

    public async Task<IReadOnlyList<InboxEvent>> ListUnregisteredAsync(IReadOnlyCollection<string> sources, int limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sources);
        await using var connection = await connections.OpenAsync(cancellationToken).ConfigureAwait(false);
        // Source names compare case-insensitively in configuration; intake stores the configured spelling.
        var rows = await connection.QueryAsync<InboxRow>(new CommandDefinition(_sql.ListUnregistered,
            new { awaiting = InboxEventState.AwaitingHydration, sources = sources.Select(s => s.ToLowerInvariant()).ToArray(), limit },
            cancellationToken: cancellationToken)).ConfigureAwait(false);
        return rows.Select(r => r.ToEvent()).ToList();
    }

    public async Task<int> RegisterAsync(IReadOnlyList<HydrationRegistration> events, HydrationWindow window, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(events);
        ArgumentNullException.ThrowIfNull(window);
        if (events.Count == 0)
            return 0;
        var at = now.ToUnixTimeMilliseconds();
        var joined = new SortedDictionary<string, HydrationRequest>(StringComparer.Ordinal);
        var registered = 0;
        await using var connection = await _relaxed.OpenAsync(cancellationToken).ConfigureAwait(false);
        using var turn = await _relaxed.TakeWriteTurnAsync(WritePriority.Normal, cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        // Events in id order, then entities in key order: concurrent registrations lock rows in one order (no deadlock).
        foreach (var registration in events.OrderBy(e => e.EventId))
        {
            var key = HydrationClaim.KeyOf(registration.Request);
            var changed = await connection.ExecuteAsync(new CommandDefinition(HydrationSql.Register,
                new { key, now = at, id = registration.EventId, awaiting = InboxEventState.AwaitingHydration }, transaction,
                cancellationToken: cancellationToken)).ConfigureAwait(false);
            if (changed == 0)
                continue; // another process registered it first
            registered++;
            joined[key] = registration.Request;
        }
        foreach (var (key, request) in joined)
        {
            await connection.ExecuteAsync(new CommandDefinition(_sql.Join, new
            {
                key,
                source = request.Source,
                type = request.EntityType,
                entityId = request.EntityId,
                now = at,
                due = at + Milliseconds(window.Debounce),
                maxDelay = Milliseconds(window.MaxDelay),
            }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        }
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return registered;
    }

    public async Task<IReadOnlyList<HydrationClaim>> ClaimAsync(
        IReadOnlyCollection<string> sources, int max, string owner, DateTimeOffset now, TimeSpan lease, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sources);
        if (max <= 0 || sources.Count == 0)
            return [];
        var at = now.ToUnixTimeMilliseconds();
        await using var connection = await _relaxed.OpenAsync(cancellationToken).ConfigureAwait(false);
        // SQLite: a non-deferred transaction is BEGIN IMMEDIATE, so the select-and-update runs under the write lock.
        using var turn = await _relaxed.TakeWriteTurnAsync(WritePriority.Normal, cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<ClaimRow>(new CommandDefinition(_sql.Claim, new
        {
            Now = at,
            Until = at + Milliseconds(lease),
            Owner = owner,
            Max = max,
            Sources = sources.Select(s => s.ToLowerInvariant()).ToArray(),
        }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        var claims = rows.Select(r => new HydrationClaim(r.EntityKey, r.Source, r.EntityType, r.EntityId, owner)).ToList();
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return claims;
    }

    public async Task<IReadOnlyList<ClaimedEvent>> ListEventsAsync(HydrationClaim claim, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(claim);
        var parameters = new { key = claim.EntityKey, awaiting = InboxEventState.AwaitingHydration };
        await using var connection = await connections.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<InboxRow>(new CommandDefinition(_sql.ListEvents, parameters, cancellationToken: cancellationToken))
            .ConfigureAwait(false);
        var attempts = (await connection.QueryAsync<(long Id, long Attempts)>(new CommandDefinition(HydrationSql.ListAttempts, parameters,
            cancellationToken: cancellationToken)).ConfigureAwait(false)).ToDictionary(a => a.Id, a => (int)a.Attempts);
        return rows.Select(r => new ClaimedEvent(r.ToEvent(), attempts.GetValueOrDefault(r.Id))).ToList();
    }

    public async Task<IReadOnlyList<HydrationVerdict>> CompleteAsync(HydrationClaim claim, HydrationCommit commit, HydrationWindow window, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(claim);
        ArgumentNullException.ThrowIfNull(commit);
        await using var connection = await connections.OpenAsync(cancellationToken).ConfigureAwait(false);
        using var turn = await connections.TakeWriteTurnAsync(WritePriority.Normal, cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var verdicts = await HydrationWriteBack.ApplyAsync(connections.Dialect, connection, transaction, commit, time.GetUtcNow()).ConfigureAwait(false);
        await EndClaimAsync(connection, transaction, claim, window, null).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return verdicts;
    }

    public async Task ReleaseAsync(HydrationClaim claim, HydrationRelease release, HydrationWindow window, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(claim);
        ArgumentNullException.ThrowIfNull(release);
        var awaiting = InboxEventState.AwaitingHydration;
        await using var connection = await connections.OpenAsync(cancellationToken).ConfigureAwait(false);
        using var turn = await connections.TakeWriteTurnAsync(WritePriority.Normal, cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        if (release.Attempted.Count > 0)
            await connection.ExecuteAsync(_sql.CountAttempt, new { ids = release.Attempted.ToArray(), awaiting }, transaction).ConfigureAwait(false);
        foreach (var (id, reason) in release.Unmatched.OrderBy(u => u.Key))
            await connection.ExecuteAsync(HydrationSql.Unmatch, new { id, reason, unmatched = InboxEventState.Unmatched, awaiting }, transaction).ConfigureAwait(false);
        await EndClaimAsync(connection, transaction, claim, window, release.RetryAt).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    // The claim ends: the entity waits out a retry, or opens a fresh window for the events registered during the fetch,
    // or goes when none is left. A lease lost meanwhile (it expired and another process took it) is left to its holder.
    private static async Task EndClaimAsync(DbConnection connection, DbTransaction transaction, HydrationClaim claim, HydrationWindow window, DateTimeOffset? retryAt)
    {
        var key = claim.EntityKey;
        var owner = claim.Owner;
        var awaiting = InboxEventState.AwaitingHydration;
        if (retryAt is { } retry)
            await connection.ExecuteAsync(HydrationSql.Retry, new { key, owner, retry = retry.ToUnixTimeMilliseconds() }, transaction).ConfigureAwait(false);
        var (first, last, count) = await connection.QuerySingleAsync<(long? First, long? Last, long Count)>(HydrationSql.Waiting, new { key, awaiting }, transaction)
            .ConfigureAwait(false);
        if (count == 0)
        {
            await connection.ExecuteAsync(HydrationSql.Drop, new { key, owner }, transaction).ConfigureAwait(false);
            return;
        }
        if (retryAt is null && first is { } firstSeen && last is { } lastSeen)
        {
            var due = Math.Min(lastSeen + Milliseconds(window.Debounce), firstSeen + Milliseconds(window.MaxDelay));
            await connection.ExecuteAsync(HydrationSql.Reopen, new { key, owner, first = firstSeen, due }, transaction).ConfigureAwait(false);
        }
    }

    public async Task<int> RenewAsync(string owner, IReadOnlyCollection<string> entityKeys, DateTimeOffset now, TimeSpan lease, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entityKeys);
        if (entityKeys.Count == 0)
            return 0;
        var at = now.ToUnixTimeMilliseconds();
        await using var connection = await _relaxed.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await connection.ExecuteAsync(new CommandDefinition(_sql.Renew,
            new { Owner = owner, Now = at, Until = at + Milliseconds(lease), Keys = entityKeys.ToArray() }, cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    public async Task ReleaseAllAsync(string owner, CancellationToken cancellationToken)
    {
        await using var connection = await _relaxed.OpenAsync(cancellationToken).ConfigureAwait(false);
        await connection.ExecuteAsync(new CommandDefinition(HydrationSql.ReleaseAll, new { Owner = owner }, cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    public async Task PauseSourceAsync(string source, DateTimeOffset until, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        await using var connection = await _relaxed.OpenAsync(cancellationToken).ConfigureAwait(false);
        using var turn = await _relaxed.TakeWriteTurnAsync(WritePriority.Normal, cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await connection.ExecuteAsync(WatermarkSql.Ensure(connections.Dialect), new { source, now }, transaction).ConfigureAwait(false);
        await connection.ExecuteAsync(HydrationSql.Pause, new { source, until = until.ToUnixTimeMilliseconds() }, transaction).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<DateTimeOffset?> GetSourcePauseAsync(string source, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken).ConfigureAwait(false);
        var until = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(HydrationSql.GetPause, new { source }, cancellationToken: cancellationToken))
            .ConfigureAwait(false);
        return until is { } ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null;
    }

    private static long Milliseconds(TimeSpan span) => (long)span.TotalMilliseconds;

    private sealed class ClaimRow
    {
        public string EntityKey { get; set; } = "";
        public string Source { get; set; } = "";
        public string EntityType { get; set; } = "";
        public string EntityId { get; set; } = "";
    }
}
