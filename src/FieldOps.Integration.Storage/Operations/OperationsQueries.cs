using System.Text;
using Dapper;
using FieldOps.Integration.Core.Operations;
using FieldOps.Integration.Storage.Dialects;

namespace FieldOps.Integration.Storage.Operations;

/// <summary>
/// The operator's SQL, written once with the dialect's grammar (list parameters, the next <c>seq</c>, row limits, and
/// SQLite's planner hint); the dead-letter filter is built from the parts given, so each query can use <c>ix_outbox_dead</c>.
/// </summary>
internal sealed class OperationsQueries(SqlDialect dialect)
{
    public const string RowColumns =
        "id, seq, inbox_event_id, flow, operation_key, mapping_revision, connector, connection, operation, object_type, idempotency_key, " +
        "partition_key, payload, xref_source_id, source_file, state, attempts, created_at, completed_at, last_outcome, last_error, dead_reason, " +
        "target_id, lease_until, replay_of, trace_parent";

    public const string DeadColumns =
        "id, seq, inbox_event_id, flow, operation_key, connector, operation, object_type, partition_key, dead_class, dead_reason, attempts, " +
        "completed_at, source_file";

    /// <summary>The dialect, for the queries the store composes (row limits).</summary>
    public SqlDialect Dialect => dialect;

    /// <summary>Records the action on each row of <c>@Ids</c> in <c>@States</c>, before the change.</summary>
    public string RecordAction { get; } =
        "INSERT INTO outbox_action (outbox_id, action, at, previous_state, previous_reason, attempts_before, note, related_id) " +
        $"SELECT id, @Action, @Now, state, dead_reason, attempts, @Note, @RelatedId FROM outbox WHERE {dialect.InList("id", "@Ids")} " +
        $"AND {dialect.InList(dialect.Unindexed("state"), "@States")}";

    public string Replay { get; } =
        "UPDATE outbox SET state = 'pending', attempts = 0, first_attempt_at = NULL, next_attempt_at = @Now, dead_reason = NULL, " +
        $"xref_wait_since = NULL, lease_owner = NULL, lease_until = NULL, completed_at = NULL WHERE {dialect.InList("id", "@Ids")} " +
        $"AND {dialect.Unindexed("state")} = 'dead'";

    public string Discard { get; } =
        "UPDATE outbox SET state = 'discarded', dead_reason = @Reason, completed_at = @Now, lease_owner = NULL, lease_until = NULL " +
        $"WHERE {dialect.InList("id", "@Ids")} AND {dialect.Unindexed("state")} IN ('dead', 'blocked')";

    /// <summary>Superseding a row: discarded, unless a worker holds it now; it leaves its <c>seq</c> to the row that replaces it.</summary>
    public string Supersede { get; } =
        $"UPDATE outbox SET state = 'discarded', dead_reason = @Reason, completed_at = @Now, seq = {dialect.NextOutboxSeq} " +
        "WHERE id = @Id AND state IN ('pending', 'dead', 'blocked') AND (lease_until IS NULL OR lease_until < @Now)";

    /// <summary>Releases blocked rows of the keys of <c>@Ids</c> that no dead letter holds any more.</summary>
    public string ReleaseSuccessors { get; } =
        $"UPDATE outbox SET state = 'pending', next_attempt_at = @Now WHERE partition_key IN (SELECT partition_key FROM outbox WHERE {dialect.InList("id", "@Ids")}) " +
        $"AND {Outbox.OutboxQueries.Unfinished} AND {dialect.Unindexed("state")} = 'blocked' " +
        "AND NOT EXISTS (SELECT 1 FROM outbox d WHERE d.partition_key = outbox.partition_key AND d.state = 'dead' AND d.seq < outbox.seq)";

    /// <summary>A re-routed row, with <paramref name="seq"/> as its <c>seq</c> (the superseded row's, or the next).</summary>
    public static string Insert(string seq) =>
        $"INSERT INTO outbox ({string.Join(", ", Outbox.OutboxRowSql.Columns)}, replay_of) VALUES ({string.Join(", ", Outbox.OutboxRowSql.Values(seq))}, @ReplayOf)";

    /// <summary>The next <c>seq</c> for a re-routed row that replaces none.</summary>
    public string NextSeq => dialect.NextOutboxSeq;

    public const string MarkRouted = "UPDATE inbox SET state = 'routed', state_reason = NULL, routed_at = @Now WHERE id = @Id";

    // A re-route whose event still has failing flows (the others' rows are written in the same transaction).
    public const string MarkParked = "UPDATE inbox SET state = 'parked', state_reason = @Reason, routed_at = @Now WHERE id = @Id";

    public const string Backlog =
        "SELECT connector, COUNT(*) AS pending, MIN(created_at) AS oldest FROM outbox WHERE state IN ('pending', 'in_flight') GROUP BY connector";

    public const string Held =
        "SELECT connector, state, COUNT(*) AS n FROM outbox WHERE state IN ('dead', 'blocked') GROUP BY connector, state";

    // The held rows' WHERE, as ix_outbox_held's (a partial index is used only when the query repeats it).
    public const string Blocked =
        "SELECT connector, state, COUNT(*) AS n FROM outbox WHERE state IN ('dead', 'blocked') GROUP BY connector, state HAVING state = 'blocked'";

    public const string EventsNamedBy =
        "SELECT inbox_event_id FROM entity_version WHERE entity_id = @Term UNION " +
        "SELECT inbox_event_id FROM outbox WHERE target_id = @Term UNION " +
        "SELECT inbox_event_id FROM outbox WHERE xref_source_id = @Term ORDER BY inbox_event_id DESC";

    // The slice is computed in a derived table and grouped by name: not every database matches a GROUP BY expression
    // holding parameters with the same expression in the select list.
    public const string Throughput =
        "SELECT connector, slice, SUM(CASE WHEN outcome = 'Delivered' THEN 1 ELSE 0 END) AS delivered, " +
        "SUM(CASE WHEN outcome = 'Delivered' THEN 0 ELSE 1 END) AS failed " +
        "FROM (SELECT o.connector, (a.started_at - @Since) / @SliceMs AS slice, a.outcome FROM outbox_attempt a JOIN outbox o ON o.id = a.outbox_id " +
        "WHERE a.started_at >= @Since) t GROUP BY connector, slice";

    public const string Tokens = "SELECT connection, expires_at, broken_reason FROM credential";

    /// <summary>The <c>WHERE</c> clause (state dead plus the filter's parts) and its parameters.</summary>
    public static string DeadWhere(DeadLetterFilter filter, DynamicParameters parameters)
    {
        var sql = new StringBuilder("WHERE state = 'dead'");
        if (filter.Connector is { } connector)
            Add(sql, parameters, "connector = @Connector", "Connector", connector);
        if (filter.Flow is { } flow)
            Add(sql, parameters, "flow = @Flow", "Flow", flow);
        if (filter.ErrorClass is { } errorClass)
            Add(sql, parameters, "dead_class = @ErrorClass", "ErrorClass", errorClass);
        if (filter.From is { } from)
            Add(sql, parameters, "completed_at >= @From", "From", from.ToUnixTimeMilliseconds());
        if (filter.To is { } to)
            Add(sql, parameters, "completed_at < @To", "To", to.ToUnixTimeMilliseconds());
        return sql.ToString();
    }

    private static void Add(StringBuilder sql, DynamicParameters parameters, string condition, string name, object value)
    {
        sql.Append(" AND ").Append(condition);
        parameters.Add(name, value);
    }
}
