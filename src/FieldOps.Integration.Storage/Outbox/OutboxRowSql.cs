namespace FieldOps.Integration.Storage.Outbox;

/// <summary>The columns and values of a new outbox row, shared by the router's insert and re-route's.</summary>
internal static class OutboxRowSql
{
    public static readonly string[] Columns =
    [
        "id", "seq", "inbox_event_id", "flow", "operation_key", "mapping_revision", "connector", "connection", "operation", "object_type",
        "idempotency_key", "partition_key", "payload", "xref_source_id", "source_file", "state", "attempts", "created_at", "next_attempt_at",
    ];

    /// <summary>The values, with <paramref name="seq"/> as the <c>seq</c> expression.</summary>
    public static string[] Values(string seq) =>
    [
        "@Id", seq, "@InboxEventId", "@Flow", "@OperationKey", "@MappingRevision", "@Connector", "@Connection", "@Operation", "@ObjectType",
        "@IdempotencyKey", "@PartitionKey", "@Payload", "@XrefSourceId", "@SourceFile", "'pending'", "0", "@Now", "@Now",
    ];
}
