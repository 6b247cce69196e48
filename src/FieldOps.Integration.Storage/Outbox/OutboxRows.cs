using System.Data.Common;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using FieldOps.Integration.Core.Connectors;
using FieldOps.Integration.Core.Outbox;

namespace FieldOps.Integration.Storage.Outbox;

// Row shapes with settable properties, read by Dapper (which converts INTEGER: int in PostgreSQL, long in SQLite) or, for
// the claim on SQLite, by position (ClaimRow.Read).
[SuppressMessage("Style", "IDE1006:Naming Styles", Justification = "Columns keep their schema names.")]
internal sealed class ClaimRow
{
    public string id { get; set; } = "";
    public long seq { get; set; }
    public long inbox_event_id { get; set; }
    public string flow { get; set; } = "";
    public string connector { get; set; } = "";
    public string connection { get; set; } = "";
    public string operation { get; set; } = "";
    public string object_type { get; set; } = "";
    public string idempotency_key { get; set; } = "";
    public string partition_key { get; set; } = "";
    public string payload { get; set; } = "";
    public string? xref_source_id { get; set; }
    public string? source_file { get; set; }
    public string state { get; set; } = "";
    public long attempts { get; set; }
    public long created_at { get; set; }
    public long? first_attempt_at { get; set; }
    public long? xref_wait_since { get; set; }
    public string? trace_parent { get; set; }

    /// <summary>
    /// The current row of a claim's <c>RETURNING</c> (the claim's columns, in the order <c>OutboxQueries</c> lists them),
    /// read by position without Dapper's per-query mapping; any provider's integer width.
    /// </summary>
    public static ClaimRow Read(DbDataReader reader) => new()
    {
        id = reader.GetString(0),
        seq = Long(reader, 1),
        inbox_event_id = Long(reader, 2),
        flow = reader.GetString(3),
        connector = reader.GetString(4),
        connection = reader.GetString(5),
        operation = reader.GetString(6),
        object_type = reader.GetString(7),
        idempotency_key = reader.GetString(8),
        partition_key = reader.GetString(9),
        payload = reader.GetString(10),
        xref_source_id = reader.IsDBNull(11) ? null : reader.GetString(11),
        source_file = reader.IsDBNull(12) ? null : reader.GetString(12),
        state = reader.GetString(13),
        attempts = Long(reader, 14),
        created_at = Long(reader, 15),
        first_attempt_at = reader.IsDBNull(16) ? null : Long(reader, 16),
        xref_wait_since = reader.IsDBNull(17) ? null : Long(reader, 17),
        trace_parent = reader.IsDBNull(18) ? null : reader.GetString(18),
    };

    private static long Long(DbDataReader reader, int ordinal) =>
        reader.GetFieldType(ordinal) == typeof(long) ? reader.GetInt64(ordinal) : Convert.ToInt64(reader.GetValue(ordinal), CultureInfo.InvariantCulture);

    public ClaimedOperation ToClaimed()
    {
        return new ClaimedOperation
        {
            Operation = new OutboundOperation
            {
                Id = id,
                Connector = connector,
                Connection = connection,
                Operation = operation,
                ObjectType = object_type,
                IdempotencyKey = idempotency_key,
                PartitionKey = partition_key,
                Payload = OperationPayload.Parse(payload),
                XrefSourceId = xref_source_id,
                Flow = flow,
                Attempt = (int)attempts + 1,
                MayHaveBeenApplied = state == OutboxStates.InFlight,
            },
            Seq = seq,
            State = state,
            Attempts = (int)attempts,
            CreatedAt = DateTimeOffset.FromUnixTimeMilliseconds(created_at),
            FirstAttemptAt = first_attempt_at is { } f ? DateTimeOffset.FromUnixTimeMilliseconds(f) : null,
            XrefWaitSince = xref_wait_since is { } x ? DateTimeOffset.FromUnixTimeMilliseconds(x) : null,
            SourceFile = source_file,
            InboxEventId = inbox_event_id,
            TraceParent = trace_parent,
        };
    }
}

[SuppressMessage("Style", "IDE1006:Naming Styles", Justification = "Columns keep their schema names.")]
internal sealed class StatusRow
{
    public string id { get; set; } = "";
    public string state { get; set; } = "";
    public long attempts { get; set; }
    public string? last_outcome { get; set; }
    public string? last_error { get; set; }
    public string? dead_reason { get; set; }
    public string? target_id { get; set; }
    public long next_attempt_at { get; set; }
    public long? completed_at { get; set; }
}

[SuppressMessage("Style", "IDE1006:Naming Styles", Justification = "Columns keep their schema names.")]
internal sealed class AttemptRow
{
    public long attempt { get; set; }
    public long started_at { get; set; }
    public long duration_ms { get; set; }
    public string outcome { get; set; } = "";
    public long? status_code { get; set; }
    public string? message { get; set; }
    public string? response_excerpt { get; set; }
    public string? instance { get; set; }
}
