using System.Data.Common;
using Dapper;
using FieldOps.Integration.Core.Storage;

namespace FieldOps.Integration.Storage.Dialects;

/// <summary>
/// PostgreSQL: claims lock their candidates with <c>FOR UPDATE SKIP LOCKED</c>, <c>seq</c> comes from a sequence,
/// list parameters are arrays (Npgsql), and migrations serialise on an advisory lock.
/// </summary>
public sealed class PostgresDialect : SqlDialect
{
    private const long MigrationLockKey = 0x46_4F_50_53; // "FOPS"
    private const long OutboxSeqLockKey = 0x46_4F_51_53; // "FOQS"

    public static PostgresDialect Instance { get; } = new();

    public override StoreProvider Provider => StoreProvider.Postgres;

    public override string NextOutboxSeq => "nextval('outbox_seq')";

    public override string OutboxSeqOrderLock => $"SELECT pg_advisory_xact_lock({OutboxSeqLockKey})";

    /// <summary>
    /// Issue 15: the claim should walk ix_outbox_open_seq, the open rows in seq order, and stop at the few it takes;
    /// the planner chose otherwise in two states that every drain goes through. Before the table has statistics (a
    /// backlog that arrives within autovacuum's minute) it read all of the connector's open rows by ix_outbox_backlog and
    /// sorted them (4,317 rows, 17.7 ms a claim): no sort, then. With statistics taken mid-drain, when each connector has
    /// delivered up to its own point, the default random-page cost (4, for spinning disks) priced the open rows' index
    /// above ux_outbox_seq, which reads every delivered row from the first (7,439 for Salesforce: 9-31 ms a claim, 44 s
    /// of the server's time in a 75 s drain of 2,000 jobs, against 0.3-0.4 ms). 1.1 is the usual figure for SSDs and for
    /// pages in memory, as the open rows are. Both hold only for the claim's transaction.
    /// </summary>
    public override IReadOnlyList<string> OutboxClaimSettings { get; } = ["SET LOCAL random_page_cost = 1.1", "SET LOCAL enable_sort = off"];

    /// <summary>
    /// Issue 15: <c>OFFSET 0</c> keeps PostgreSQL from turning the claim's check for an older open row of the same key into
    /// an anti-join. After autovacuum had seen the open rows' indexes (nearly) empty — a quiet hour, then a burst — the
    /// planner expected one row on each side and checked each candidate's key by walking all of
    /// ix_outbox_partition_open (12.3 ms a claim, 60 s of the server's time in a 2,000-job drain). As a subplan the check
    /// is one index probe by key per candidate, whatever the statistics say.
    /// </summary>
    public override string KeepSubqueryPerRow => " OFFSET 0";

    /// <summary>Issue 15: the intake's group commit sends a group's inserts in one batch (64 round trips became one).</summary>
    public override bool BatchesInsertsReturningIds => true;

    /// <summary>Issue 15: a group's write-backs in one batch (a round trip for each update, attempt and cross-reference before).</summary>
    public override bool BatchesWriteBacks => true;

    /// <summary>Issue 15: a claim pass in one batch (a round trip for the settings and one for each connector's claim before).</summary>
    public override bool BatchesClaims => true;

    /// <summary>Issue 15: a routed event's four statements in two batches.</summary>
    public override bool BatchesRoutingCommits => true;

    /// <summary>
    /// Also the server ending the session: 57P01 (admin_shutdown: a restart, or an administrator terminating the backend),
    /// 57P02 (crash_shutdown: another backend crashed and the server resets every session) and 57P03 (cannot_connect_now:
    /// the server is starting or stopping). Npgsql reports these as a <c>PostgresException</c> with no inner exception and
    /// not transient (bar 57P03); it breaks the connection and clears the pool itself, so the next open is a new one.
    /// </summary>
    public override bool IsStoreFault(Exception exception) =>
        base.IsStoreFault(exception) || exception is DbException { SqlState: "57P01" or "57P02" or "57P03" };

    /// <summary>Dapper hands Npgsql a list as one array parameter.</summary>
    public override string InList(string expression, string parameter) => $"{expression} = ANY({parameter})";

    protected override string SkipLocked => " FOR UPDATE SKIP LOCKED";

    public override async Task<DbTransaction> BeginMigrationAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await connection.ExecuteAsync("SELECT pg_advisory_xact_lock(@Key)", new { Key = MigrationLockKey }, transaction).ConfigureAwait(false);
        return transaction;
    }
}
