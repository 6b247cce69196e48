using System.Data;
using System.Data.Common;
using FieldOps.Integration.Core.Outbox;
using FieldOps.Integration.Storage.Dialects;

namespace FieldOps.Integration.Storage.Outbox;

/// <summary>
/// The dispatcher's outbox SQL, written once; the claim takes its grammar from the dialect. A row is claimable when it is
/// due, unleased (or its lease expired: a crashed worker's), its connection is not paused, and no older row of its
/// partition key is still not done (pending, in flight, dead or blocked): so one row per key runs at a time, in order.
/// </summary>
internal sealed class OutboxQueries(SqlDialect dialect)
{
    private static readonly string[] Columns =
    [
        "id", "seq", "inbox_event_id", "flow", "connector", "connection", "operation", "object_type", "idempotency_key", "partition_key",
        "payload", "xref_source_id", "source_file", "state", "attempts", "created_at", "first_attempt_at", "xref_wait_since", "trace_parent",
    ];

    /// <summary>Leases up to <c>@Max</c> claimable rows of <c>@Connector</c> to <c>@Owner</c> until <c>@Until</c>, none of a connection in <c>@Paused</c>.</summary>
    public string Claim { get; } = ClaimSql(dialect, paused: true);

    /// <summary>
    /// <see cref="Claim"/> when none of the connector's connections is paused (nearly always): one fixed statement, so the
    /// group writer's connection prepares it once (<see cref="ConnectionCommands.ClaimUnpaused"/>) instead of for every claim.
    /// </summary>
    public string ClaimUnpaused { get; } = ClaimSql(dialect, paused: false);

    private static string ClaimSql(SqlDialect dialect, bool paused) => dialect.ClaimRows("outbox", "o",
        "o.connector = @Connector AND o.state IN ('pending', 'in_flight') AND o.next_attempt_at <= @Now " +
        "AND (o.lease_until IS NULL OR o.lease_until < @Now) " + (paused ? $"AND NOT ({dialect.InList("o.connection", "@Paused")}) " : "") +
        "AND NOT EXISTS (SELECT 1 FROM outbox p WHERE p.partition_key = o.partition_key AND p.seq < o.seq " +
        "AND p.state IN ('pending', 'in_flight', 'dead', 'blocked')" + dialect.KeepSubqueryPerRow + ")",
        "o.seq", "@Max", "lease_owner = @Owner, lease_until = @Until", Columns);

    /// <summary>Saves a cross-reference learned from a delivery (the same upsert as the cross-reference store's).</summary>
    public string SaveXref { get; } = CrossReferences.CrossReferenceSql.Save(dialect);

    public const string MarkInFlight =
        "UPDATE outbox SET state = 'in_flight', attempts = @Attempts, first_attempt_at = @FirstAttemptAt " +
        "WHERE id = @Id AND lease_owner = @Owner AND lease_until >= @Now";

    public const string Update =
        "UPDATE outbox SET state = @State, attempts = @Attempts, first_attempt_at = @FirstAttemptAt, " +
        "next_attempt_at = COALESCE(@NextAttemptAt, next_attempt_at), " +
        "last_outcome = CASE WHEN @KeepLast = 1 THEN last_outcome ELSE @LastOutcome END, " +
        "last_error = CASE WHEN @KeepLast = 1 THEN last_error ELSE @LastError END, " +
        "dead_reason = @DeadReason, target_id = COALESCE(@TargetId, target_id), xref_wait_since = @XrefWaitSince, " +
        "completed_at = @CompletedAt, lease_owner = NULL, lease_until = NULL WHERE id = @Id AND lease_owner = @Owner";

    /// <summary>
    /// The write-back's statements (and the claim's, <see cref="ClaimUnpaused(string)"/>) as commands to reuse on one
    /// connection, their parameters typed once (on SQLite the group writer keeps its connection, so each is prepared once
    /// instead of for every row). <see cref="Update"/>'s
    /// values, in order: id, owner, state, attempts, first attempt, next attempt, last outcome, last error, dead reason,
    /// target id, xref wait since, completed at, keep last (1: the last outcome and error stay as they were);
    /// <see cref="InsertAttempt"/>'s: outbox id, attempt, started at, duration, outcome, status code, message, response
    /// excerpt, instance; <see cref="MarkInFlight"/>'s (the in-flight mark before a call that is not idempotent, on the
    /// durable connection's group writer): id, owner, attempts, first attempt, now (a lease that has run out is not ours:
    /// another worker may claim the row during the call).
    /// </summary>
    public sealed class ConnectionCommands(DbConnection connection)
    {
        public DbCommand Update { get; } = NewCommand(connection, OutboxQueries.Update, UpdateParameters);

        public DbCommand InsertAttempt { get; } = NewCommand(connection, OutboxQueries.InsertAttempt, AttemptParameters);

        public DbCommand MarkInFlight { get; } = NewCommand(connection, OutboxQueries.MarkInFlight, MarkParameters);

        private DbCommand? _saveXref;

        /// <summary>
        /// The cross-reference upsert of a write-back that learned a target id (<paramref name="sql"/>: the dialect's
        /// <see cref="OutboxQueries.SaveXref"/>, the same on every call for one connection); values: system, object type, source id,
        /// target id, now. Issue 15: run through Dapper it was prepared anew for each of ~6 a job, under the write lock.
        /// </summary>
        public DbCommand SaveXref(string sql) => _saveXref ??= NewCommand(connection, sql, XrefParameters);

        private DbCommand? _claimUnpaused;

        /// <summary>
        /// The claim of a connector none of whose connections is paused (<paramref name="sql"/>: the dialect's
        /// <see cref="OutboxQueries.ClaimUnpaused"/>); values: connector, now, lease until, owner, at most. Issue 15: through
        /// Dapper, each claim prepared its statement anew under the write lock.
        /// </summary>
        public DbCommand ClaimUnpaused(string sql) => _claimUnpaused ??= NewCommand(connection, sql, ClaimParameters);

        /// <summary>Runs <paramref name="command"/> in <paramref name="transaction"/> with its values in parameter order.</summary>
        public static Task<int> ExecuteAsync(DbCommand command, DbTransaction transaction, params object?[] values) =>
            Bind(command, transaction, values).ExecuteNonQueryAsync(CancellationToken.None);

        /// <summary><paramref name="command"/> in <paramref name="transaction"/>, its values set in parameter order.</summary>
        public static DbCommand Bind(DbCommand command, DbTransaction transaction, params object?[] values)
        {
            command.Transaction = transaction;
            for (var i = 0; i < values.Length; i++)
                command.Parameters[i].Value = values[i] ?? DBNull.Value;
            return command;
        }

        private static DbCommand NewCommand(DbConnection connection, string sql, (string Name, DbType Type)[] parameters)
        {
            var command = connection.CreateCommand();
            command.CommandText = sql;
            foreach (var (name, type) in parameters)
                command.AddParameter(name, type);
            return command;
        }
    }

    /// <summary><see cref="BlockSuccessors"/>' one parameter.</summary>
    public static readonly (string Name, DbType Type)[] BlockParameters = [("@Id", DbType.String)];

    public static readonly (string Name, DbType Type)[] XrefParameters =
        [("@System", DbType.String), ("@ObjectType", DbType.String), ("@SourceId", DbType.String), ("@TargetId", DbType.String), ("@Now", DbType.Int64)];

    /// <summary>The claim's parameters (<see cref="Claim"/> adds <c>@Paused</c>, an array).</summary>
    public static readonly (string Name, DbType Type)[] ClaimParameters =
        [("@Connector", DbType.String), ("@Now", DbType.Int64), ("@Until", DbType.Int64), ("@Owner", DbType.String), ("@Max", DbType.Int32)];

    /// <summary>The in-flight mark's parameters: id, owner, attempts, first attempt, now.</summary>
    public static readonly (string Name, DbType Type)[] MarkParameters =
        [("@Id", DbType.String), ("@Owner", DbType.String), ("@Attempts", DbType.Int32), ("@FirstAttemptAt", DbType.Int64), ("@Now", DbType.Int64)];

    public static readonly (string Name, DbType Type)[] UpdateParameters =
    [
        ("@Id", DbType.String), ("@Owner", DbType.String), ("@State", DbType.String), ("@Attempts", DbType.Int32),
        ("@FirstAttemptAt", DbType.Int64), ("@NextAttemptAt", DbType.Int64), ("@LastOutcome", DbType.String),
        ("@LastError", DbType.String), ("@DeadReason", DbType.String), ("@TargetId", DbType.String),
        ("@XrefWaitSince", DbType.Int64), ("@CompletedAt", DbType.Int64), ("@KeepLast", DbType.Int32),
    ];

    /// <summary><see cref="UpdateParameters"/>' values for <paramref name="update"/> by <paramref name="owner"/> at <paramref name="nowMs"/>.</summary>
    public static object?[] UpdateValues(OutboxUpdate update, string owner, long nowMs) =>
    [
        update.Id, owner, update.State, update.Attempts, update.FirstAttemptAt?.ToUnixTimeMilliseconds(),
        update.NextAttemptAt?.ToUnixTimeMilliseconds(), update.LastOutcome?.ToString(), update.LastError, update.DeadReason,
        update.TargetId, update.XrefWaitSince?.ToUnixTimeMilliseconds(),
        update.State is OutboxStates.Delivered or OutboxStates.Dead ? nowMs : null, update.KeepLastOutcome ? 1 : 0,
    ];

    /// <summary><see cref="AttemptParameters"/>' values; the lease owner is the instance that made the call.</summary>
    public static object?[] AttemptValues(string outboxId, AttemptRecord attempt, string owner) =>
    [
        outboxId, attempt.Attempt, attempt.StartedAt.ToUnixTimeMilliseconds(), (long)attempt.Duration.TotalMilliseconds,
        attempt.Outcome.ToString(), attempt.StatusCode, attempt.Message, attempt.ResponseExcerpt, owner,
    ];

    /// <summary><see cref="XrefParameters"/>' values.</summary>
    public static object?[] XrefValues((string System, string ObjectType, string SourceId, string TargetId) xref, long nowMs) =>
        [xref.System, xref.ObjectType, xref.SourceId, xref.TargetId, nowMs];

    /// <summary>Adds <paramref name="sql"/> to <paramref name="batch"/>, its typed parameters set to <paramref name="values"/> in order.</summary>
    public static DbBatchCommand AddTo(DbBatch batch, string sql, (string Name, DbType Type)[] parameters, object?[] values)
    {
        var command = batch.AddStatement(sql);
        for (var i = 0; i < parameters.Length; i++)
            command.AddParameter(parameters[i].Name, parameters[i].Type, values[i]);
        return command;
    }

    public const string InsertAttempt =
        "INSERT INTO outbox_attempt (outbox_id, attempt, started_at, duration_ms, outcome, status_code, message, response_excerpt, instance) " +
        "VALUES (@OutboxId, @Attempt, @StartedAt, @DurationMs, @Outcome, @StatusCode, @Message, @ResponseExcerpt, @Instance)";

    public static readonly (string Name, DbType Type)[] AttemptParameters =
    [
        ("@OutboxId", DbType.String), ("@Attempt", DbType.Int32), ("@StartedAt", DbType.Int64), ("@DurationMs", DbType.Int64),
        ("@Outcome", DbType.String), ("@StatusCode", DbType.Int32), ("@Message", DbType.String), ("@ResponseExcerpt", DbType.String),
        ("@Instance", DbType.String),
    ];

    /// <summary>
    /// The WHERE of <c>ix_outbox_partition_open</c>, the rows of a key that are not finished: a statement that reads a
    /// key's rows repeats it, or SQLite cannot use the index (a partial index is used only when the query implies its
    /// WHERE, and SQLite does not infer <c>state IN (…)</c> from <c>state = 'pending'</c>).
    /// </summary>
    public const string Unfinished = "state IN ('pending', 'in_flight', 'dead', 'blocked')";

    /// <summary>Holds the rows behind a dead letter as blocked.</summary>
    public const string BlockSuccessors =
        "UPDATE outbox SET state = 'blocked' WHERE partition_key = (SELECT partition_key FROM outbox WHERE id = @Id) " +
        "AND seq > (SELECT seq FROM outbox WHERE id = @Id) AND " + Unfinished + " AND state = 'pending'";

    /// <summary>
    /// Shows rows routed behind an existing dead letter as blocked (the claim holds them back either way). The open-state
    /// term lets the planner take the connector's open rows from ix_outbox_claimable (a partial index is used only when
    /// the query repeats its WHERE).
    /// </summary>
    public const string BlockLateArrivals =
        "UPDATE outbox SET state = 'blocked' WHERE connector = @Connector AND state IN ('pending', 'in_flight') AND state = 'pending' " +
        "AND EXISTS (SELECT 1 FROM outbox d WHERE d.partition_key = outbox.partition_key AND d.state = 'dead' AND d.seq < outbox.seq)";

    /// <summary>Releases blocked rows of a key that no dead letter holds any more.</summary>
    public const string ReleaseSuccessors =
        "UPDATE outbox SET state = 'pending', next_attempt_at = @Now WHERE partition_key = @PartitionKey AND " + Unfinished + " AND state = 'blocked' " +
        "AND NOT EXISTS (SELECT 1 FROM outbox d WHERE d.partition_key = outbox.partition_key AND d.state = 'dead' AND d.seq < outbox.seq)";

    public const string Replay =
        "UPDATE outbox SET state = 'pending', attempts = 0, first_attempt_at = NULL, next_attempt_at = @Now, dead_reason = NULL, " +
        "xref_wait_since = NULL, lease_owner = NULL, lease_until = NULL WHERE id = @Id AND state = 'dead'";

    public const string Discard =
        "UPDATE outbox SET state = 'discarded', dead_reason = @Reason, completed_at = @Now, lease_owner = NULL, lease_until = NULL " +
        "WHERE id = @Id AND state IN ('dead', 'blocked')";

    /// <summary>
    /// Extends the leases <c>@Owner</c> still holds that end before <c>@Soon</c>; a lapsed one may be another worker's by
    /// now and is left alone, a fresh one is not touched (its delivery usually finishes long before it needs renewing).
    /// </summary>
    public const string RenewLeases =
        "UPDATE outbox SET lease_until = @Until WHERE lease_owner = @Owner AND lease_until >= @Now AND lease_until < @Soon " +
        "AND state IN ('pending', 'in_flight')";

    public const string CountLeases = "SELECT COUNT(*) FROM outbox WHERE lease_owner = @Owner AND lease_until >= @Now";

    public const string ReleaseAll =
        "UPDATE outbox SET lease_owner = NULL, lease_until = NULL WHERE lease_owner = @Owner AND state IN ('pending', 'in_flight')";
}
