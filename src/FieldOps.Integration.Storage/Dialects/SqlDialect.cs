using System.Data.Common;
using FieldOps.Integration.Core.Storage;
using FieldOps.Integration.Storage.Migrations;

namespace FieldOps.Integration.Storage.Dialects;

/// <summary>
/// Where the databases' SQL differs, and nothing else: the stores write their logic and their shared SQL once and
/// ask the dialect for the pieces of grammar that differ (the claim, the next <c>seq</c>, list parameters, row
/// limits, insert-if-absent, upsert, the migration lock). The defaults here are the grammar SQLite and PostgreSQL
/// share; each provider overrides what it says otherwise. Brighter's per-provider outbox queries are the model.
/// </summary>
public abstract partial class SqlDialect
{
    /// <summary>The provider this dialect speaks for (for display and the migrations folder).</summary>
    public abstract StoreProvider Provider { get; }

    /// <summary>Every migration this build ships for the provider, ordered by version.</summary>
    public IReadOnlyList<Migration> Migrations => MigrationCatalog.For(Provider, BatchSeparator);

    /// <summary>
    /// The line that ends a batch in a migration file, when the database needs one between statements a script runs
    /// one by one (SQL Server's <c>GO</c>); <c>null</c> where one command takes many statements.
    /// </summary>
    public virtual string? BatchSeparator => null;

    /// <summary>Creates the migration ledger if it is missing.</summary>
    public virtual string CreateSchemaVersionTable =>
        "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)";

    /// <summary>
    /// The batches of one migration file, each sent as one command. <value>By default the whole file: SQLite and
    /// PostgreSQL take many statements in one command.</value>
    /// </summary>
    public virtual IReadOnlyList<string> Batches(string sql) => [sql];

    /// <summary>Begins the migration transaction holding the database-wide lock, so concurrent starts migrate once.</summary>
    public abstract Task<DbTransaction> BeginMigrationAsync(DbConnection connection, CancellationToken cancellationToken);

    /// <summary>The next outbox <c>seq</c>: an expression valid inside the insert that takes it.</summary>
    public abstract string NextOutboxSeq { get; }

    /// <summary>How many outbox rows one INSERT statement carries when the router writes many.</summary>
    public virtual int RowsPerInsert => 50;

    /// <summary>
    /// How many keys one statement looks up when a store reads many rows by key: a server database's statement is a round
    /// trip (and a parse on the server), so many keys share one. <value>100 by default; 1 on SQLite, where a statement runs
    /// in the process and one prepared statement run again per key costs less than a statement naming them all.</value>
    /// </summary>
    public virtual int KeysPerLookup => 100;

    /// <summary>
    /// A statement that makes routing commits take outbox <c>seq</c> values one transaction at a time, held until the
    /// transaction ends, so rows become visible in <c>seq</c> order: otherwise two processes' routers could commit
    /// rows of one partition key out of order (the later <c>seq</c> first), and a dispatcher would deliver the later row
    /// before the earlier one existed. <value>None by default: SQLite's one writer already commits one at a time.</value>
    /// </summary>
    public virtual string? OutboxSeqOrderLock => null;

    /// <summary>
    /// Planner settings for the dispatcher's claim transaction, one statement each, run first in it (<c>SET LOCAL</c>: they
    /// end with it). <value>None by default.</value>
    /// </summary>
    public virtual IReadOnlyList<string> OutboxClaimSettings => [];

    /// <summary>
    /// Appended inside a correlated <c>NOT EXISTS</c> subquery so it runs once per outer row, through its index, instead
    /// of being planned as a join whose shape depends on the statistics. <value>Nothing by default.</value>
    /// </summary>
    public virtual string KeepSubqueryPerRow => "";

    /// <summary>
    /// Whether many <c>INSERT … RETURNING</c>s can go in one <see cref="DbBatch"/>, one round trip, each giving a result
    /// set even when it inserted nothing (a duplicate), so results pair with statements in order. <value>False by
    /// default: SQLite runs in the process; SQL Server gives no result set for an insert its condition skipped.</value>
    /// </summary>
    public virtual bool BatchesInsertsReturningIds => false;

    /// <summary>
    /// Whether the dispatcher's write-backs of a group (and its in-flight marks) go in one <see cref="DbBatch"/>, each update's row count read from
    /// its own statement. <value>False by default: SQLite runs in the process (a round trip costs nothing); SQL Server
    /// is not measured here.</value>
    /// </summary>
    public virtual bool BatchesWriteBacks => false;

    /// <summary>
    /// Whether a dispatcher's claim pass (its settings, each connector's claim) goes in one <see cref="DbBatch"/>, one round
    /// trip, instead of a statement each. <value>False by default: SQLite claims in the write-backs' group on one
    /// connection (a round trip costs nothing); SQL Server is not measured here.</value>
    /// </summary>
    public virtual bool BatchesClaims => false;

    /// <summary>
    /// Whether the router's commit sends each event's statements in two batches (its state and version check, then its
    /// rows and version record) instead of one round trip each. <value>False by default: SQLite runs in the process;
    /// SQL Server is not measured here.</value>
    /// </summary>
    public virtual bool BatchesRoutingCommits => false;

    /// <summary>The <c>seq</c> values of the outbox rows <paramref name="transaction"/> inserts, in order.</summary>
    public virtual OutboxSeqCursor OpenOutboxSeq(DbConnection connection, DbTransaction transaction) => new(NextOutboxSeq);

    /// <summary>
    /// <paramref name="expression"/> is one of the list parameter <paramref name="parameter"/>. The default lets
    /// Dapper expand the list into <c>(@p1, @p2, …)</c>.
    /// </summary>
    public virtual string InList(string expression, string parameter) => $"{expression} IN {parameter}";

    /// <summary>
    /// A column in a filter the planner should not pick an index for (SQLite without statistics would rather walk a
    /// state index over every dead letter than look rows up by id or key). Other planners have statistics.
    /// </summary>
    public virtual string Unindexed(string column) => column;

    /// <summary>At most <paramref name="count"/> rows; follows an <c>ORDER BY</c>.</summary>
    public virtual string Limit(string count) => $"LIMIT {count}";

    /// <summary>At most <paramref name="count"/> rows, any of them; there is no <c>ORDER BY</c> before it.</summary>
    public virtual string LimitUnordered(string count) => $"LIMIT {count}";
}
