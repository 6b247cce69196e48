using System.Data.Common;
using Dapper;
using FieldOps.Integration.Core.Outbox;

namespace FieldOps.Integration.Storage.Outbox;

/// <summary>The claim: on SQLite in the write-backs' group, on a server database in a transaction of its own.</summary>
public sealed partial class OutboxStore
{
    public async Task<IReadOnlyList<ClaimedOperation>> ClaimAsync(
        IReadOnlyList<ClaimRequest> requests, string owner, DateTimeOffset now, TimeSpan lease, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(requests);
        List<ClaimRow> rows;
        if (_claimInGroup)
        {
            // Not cancelled once queued: a claim that committed must reach the dispatcher, which starts or releases its rows.
            cancellationToken.ThrowIfCancellationRequested();
            // Cancelled before its turn came (the dispatcher stopping): claims nothing.
            rows = (List<ClaimRow>)(await _writes.WriteAsync(
                async (c, t) => cancellationToken.IsCancellationRequested
                    ? new List<ClaimRow>()
                    : await ClaimInAsync(c, t, requests, owner, now, lease, CancellationToken.None).ConfigureAwait(false),
                CancellationToken.None).ConfigureAwait(false))!;
        }
        else
        {
            await using var connection = await _relaxed.OpenAsync(cancellationToken).ConfigureAwait(false);
            // SQLite: a non-deferred transaction is BEGIN IMMEDIATE, so the select-and-update runs under the write lock —
            // taken once for every connector of the pass, not once each.
            using var turn = await _relaxed.TakeWriteTurnAsync(WritePriority.Normal, cancellationToken).ConfigureAwait(false);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            if (connections.Dialect.BatchesClaims)
            {
                rows = await ClaimInOneBatchAsync(connection, transaction, requests, owner, now, lease, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                foreach (var setting in connections.Dialect.OutboxClaimSettings)
                {
                    await connection.ExecuteAsync(new CommandDefinition(setting, transaction: transaction, cancellationToken: cancellationToken))
                        .ConfigureAwait(false);
                }
                rows = await ClaimInAsync(connection, transaction, requests, owner, now, lease, cancellationToken).ConfigureAwait(false);
            }
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
        // The payloads are parsed after the commit, on the claimer's thread: not while the write lock is held.
        var claimed = new List<ClaimedOperation>(rows.Count);
        foreach (var row in rows)
            claimed.Add(row.ToClaimed());
        return claimed;
    }

    // Now and then, in the claim's transaction (on SQLite under the same lock): rows routed after their key's dead letter
    // are shown as blocked.
    private bool SweepDue(string connector, DateTimeOffset now)
    {
        if (now - _swept.GetValueOrDefault(connector) < SweepInterval)
            return false;
        _swept[connector] = now;
        return true;
    }

    /// <summary>
    /// <see cref="ClaimInAsync"/> in one batch, one round trip, for a server database that runs batches (issue 15: on
    /// PostgreSQL a pass took a round trip for its settings and one for each connector's claim). The claim settings come
    /// first, then each connector's sweep when it is due and its claim; each claim's rows are in seq order.
    /// </summary>
    private async Task<List<ClaimRow>> ClaimInOneBatchAsync(
        DbConnection connection, DbTransaction transaction, IReadOnlyList<ClaimRequest> requests, string owner, DateTimeOffset now, TimeSpan lease,
        CancellationToken cancellationToken)
    {
        var (nowMs, until) = LeaseTimes(now, lease);
        await using var batch = connection.CreateBatch();
        batch.Transaction = transaction;
        foreach (var setting in connections.Dialect.OutboxClaimSettings)
            batch.AddStatement(setting);
        foreach (var (connector, max, paused) in requests)
        {
            ArgumentNullException.ThrowIfNull(paused);
            if (SweepDue(connector, now))
                batch.AddStatement(OutboxQueries.BlockLateArrivals).AddParameter("@Connector", System.Data.DbType.String, connector);
            var claim = OutboxQueries.AddTo(batch, paused.Count == 0 ? _queries.ClaimUnpaused : _queries.Claim, OutboxQueries.ClaimParameters,
                [connector, nowMs, until, owner, max]);
            if (paused.Count > 0)
                claim.AddParameter("@Paused", value: paused.ToArray());
        }
        var claimed = new List<ClaimRow>();
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        do
        {
            // The settings and sweeps return no rows; a claim returns its connector's rows in no set order.
            var first = claimed.Count;
            while (reader.FieldCount > 0 && await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                claimed.Add(ClaimRow.Read(reader));
            claimed.Sort(first, claimed.Count - first, BySeq);
        }
        while (await reader.NextResultAsync(cancellationToken).ConfigureAwait(false));
        return claimed;
    }

    // One claim pass inside a transaction: each connector's claimable rows, in seq order.
    private async Task<List<ClaimRow>> ClaimInAsync(
        DbConnection connection, DbTransaction transaction, IReadOnlyList<ClaimRequest> requests, string owner, DateTimeOffset now, TimeSpan lease,
        CancellationToken cancellationToken)
    {
        var (nowMs, until) = LeaseTimes(now, lease);
        var claimed = new List<ClaimRow>();
        foreach (var (connector, max, paused) in requests)
        {
            ArgumentNullException.ThrowIfNull(paused);
            if (SweepDue(connector, now))
            {
                await connection.ExecuteAsync(new CommandDefinition(OutboxQueries.BlockLateArrivals, new { Connector = connector },
                    transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
            }
            var first = claimed.Count;
            if (paused.Count == 0 && _claimInGroup)
            {
                // The group writer keeps its connection: the claim's statement is prepared once on it.
                var command = OutboxQueries.ConnectionCommands.Bind(CommandsOf(connection).ClaimUnpaused(_queries.ClaimUnpaused), transaction,
                    connector, nowMs, until, owner, max);
                await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                    claimed.Add(ClaimRow.Read(reader));
            }
            else
            {
                claimed.AddRange(await connection.QueryAsync<ClaimRow>(new CommandDefinition(
                    _queries.Claim,
                    new { Connector = connector, Now = nowMs, Until = until, Owner = owner, Max = max, Paused = paused.ToArray() },
                    transaction, cancellationToken: cancellationToken)).ConfigureAwait(false));
            }
            // RETURNING gives the rows in no set order: the connector's in seq order.
            claimed.Sort(first, claimed.Count - first, BySeq);
        }
        return claimed;
    }

    // A claim's now and the end of the leases it gives, in the store's milliseconds.
    private static (long Now, long Until) LeaseTimes(DateTimeOffset now, TimeSpan lease) =>
        (now.ToUnixTimeMilliseconds(), now.ToUnixTimeMilliseconds() + (long)lease.TotalMilliseconds);

    private static readonly Comparer<ClaimRow> BySeq = Comparer<ClaimRow>.Create((x, y) => x.seq.CompareTo(y.seq));
}
