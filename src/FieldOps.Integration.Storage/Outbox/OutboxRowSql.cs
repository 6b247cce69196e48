namespace FieldOps.Integration.Storage.Outbox;

/// <summary>The columns and values of a new outbox row, shared by the router's insert and re-route's.</summary>
internal static class OutboxRowSql
{
    public static readonly string[] Columns =
    [
        "id", "seq", "inbox_event_id", "flow", "operation_key", "mapping_revision", "connector", "connection", "operation", "object_type",
        "idempotency_key", "partition_key", "payload", "xref_source_id", "source_file", "state", "attempts", "created_at", "next_attempt_at",
        "trace_parent",
    ];

    /// <summary>The names of the per-row parameters, in column order (without seq, the state and the times).</summary>
    public static readonly string[] Parameters =
    [
        "Id", "InboxEventId", "Flow", "OperationKey", "MappingRevision", "Connector", "Connection", "Operation", "ObjectType",
        "IdempotencyKey", "PartitionKey", "Payload", "XrefSourceId", "SourceFile", "TraceParent",
    ];

    /// <summary>
    /// The values, with <paramref name="seq"/> as the <c>seq</c> expression and each row parameter named
    /// <paramref name="prefix"/> + its name (several rows in one statement use one prefix each).
    /// </summary>
    public static string[] Values(string seq, string prefix = "") =>
    [
        $"@{prefix}Id", seq, $"@{prefix}InboxEventId", $"@{prefix}Flow", $"@{prefix}OperationKey", $"@{prefix}MappingRevision", $"@{prefix}Connector",
        $"@{prefix}Connection", $"@{prefix}Operation", $"@{prefix}ObjectType", $"@{prefix}IdempotencyKey", $"@{prefix}PartitionKey", $"@{prefix}Payload",
        $"@{prefix}XrefSourceId", $"@{prefix}SourceFile", "'pending'", "0", "@Now", "@Now", $"@{prefix}TraceParent",
    ];
}
