using System.Text;
using Dapper;
using FieldOps.Integration.Core.Operations;

namespace FieldOps.Integration.Storage.Operations;

/// <summary>
/// The operator's SQL. One text serves SQLite and PostgreSQL except the next <c>seq</c> (as in the routing store); the
/// dead-letter filter is built from the parts given, so each query can use <c>ix_outbox_dead</c>.
/// </summary>
internal static class OperationsQueries
{
    public const string RowColumns =
        "id, seq, inbox_event_id, flow, operation_key, mapping_revision, connector, connection, operation, object_type, idempotency_key, " +
        "partition_key, payload, xref_source_id, source_file, state, attempts, created_at, completed_at, last_outcome, last_error, dead_reason, " +
        "target_id, lease_until, replay_of";

    public const string DeadColumns =
        "id, seq, inbox_event_id, flow, operation_key, connector, operation, object_type, partition_key, dead_class, dead_reason, attempts, " +
        "completed_at, source_file";

    public const string SqliteNextSeq = "(SELECT COALESCE(MAX(seq), 0) + 1 FROM outbox)";
    public const string PostgresNextSeq = "nextval('outbox_seq')";

    /// <summary>Records the action on each row of <c>@Ids</c> in <c>@States</c>, before the change.</summary>
    public const string RecordAction =
        "INSERT INTO outbox_action (outbox_id, action, at, previous_state, previous_reason, attempts_before, note, related_id) " +
        "SELECT id, @Action, @Now, state, dead_reason, attempts, @Note, @RelatedId FROM outbox WHERE id IN @Ids AND state IN @States";

    public const string Replay =
        "UPDATE outbox SET state = 'pending', attempts = 0, first_attempt_at = NULL, next_attempt_at = @Now, dead_reason = NULL, " +
        "xref_wait_since = NULL, lease_owner = NULL, lease_until = NULL, completed_at = NULL WHERE id IN @Ids AND state = 'dead'";

    public const string Discard =
        "UPDATE outbox SET state = 'discarded', dead_reason = @Reason, completed_at = @Now, lease_owner = NULL, lease_until = NULL " +
        "WHERE id IN @Ids AND state IN ('dead', 'blocked')";

    /// <summary>Superseding a row: discarded, unless a worker holds it now.</summary>
    public const string Supersede =
        "UPDATE outbox SET state = 'discarded', dead_reason = @Reason, completed_at = @Now, seq = {0} " +
        "WHERE id = @Id AND state IN ('pending', 'dead', 'blocked') AND (lease_until IS NULL OR lease_until < @Now)";

    /// <summary>Releases blocked rows of the keys of <c>@Ids</c> that no dead letter holds any more.</summary>
    public const string ReleaseSuccessors =
        "UPDATE outbox SET state = 'pending', next_attempt_at = @Now WHERE state = 'blocked' " +
        "AND partition_key IN (SELECT partition_key FROM outbox WHERE id IN @Ids) " +
        "AND NOT EXISTS (SELECT 1 FROM outbox d WHERE d.partition_key = outbox.partition_key AND d.state = 'dead' AND d.seq < outbox.seq)";

    public const string Insert =
        "INSERT INTO outbox (id, seq, inbox_event_id, flow, operation_key, mapping_revision, connector, connection, operation, " +
        "object_type, idempotency_key, partition_key, payload, xref_source_id, source_file, state, attempts, created_at, next_attempt_at, replay_of) " +
        "VALUES (@Id, {0}, @InboxEventId, @Flow, @OperationKey, @MappingRevision, @Connector, @Connection, @Operation, " +
        "@ObjectType, @IdempotencyKey, @PartitionKey, @Payload, @XrefSourceId, @SourceFile, 'pending', 0, @Now, @Now, @ReplayOf)";

    public const string MarkRouted = "UPDATE inbox SET state = 'routed', state_reason = NULL, routed_at = @Now WHERE id = @Id";

    public const string Backlog =
        "SELECT connector, COUNT(*) AS pending, MIN(created_at) AS oldest FROM outbox WHERE state IN ('pending', 'in_flight') GROUP BY connector";

    public const string Held =
        "SELECT connector, state, dead_class, COUNT(*) AS n FROM outbox WHERE state IN ('dead', 'blocked') GROUP BY connector, state, dead_class";

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
