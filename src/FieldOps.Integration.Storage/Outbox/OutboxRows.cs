using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using FieldOps.Integration.Core.Delivery;

namespace FieldOps.Integration.Storage.Outbox;

// Dapper row shapes: column names as in the schema, integers as long (SQLite and PostgreSQL agree on that).
[SuppressMessage("Style", "IDE1006:Naming Styles", Justification = "Columns keep their schema names.")]
internal sealed record ClaimRow(
    string id, long seq, string flow, string connector, string connection, string operation, string object_type, string idempotency_key,
    string partition_key, string payload, string? xref_source_id, string? source_file, string state, long attempts, long created_at,
    long? first_attempt_at, long? xref_wait_since)
{
    public ClaimedOperation ToClaimed()
    {
        using var document = JsonDocument.Parse(payload);
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
                Payload = document.RootElement.Clone(),
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
        };
    }
}

[SuppressMessage("Style", "IDE1006:Naming Styles", Justification = "Columns keep their schema names.")]
internal sealed record StatusRow(
    string id, string state, long attempts, string? last_outcome, string? last_error, string? dead_reason, string? target_id, long next_attempt_at,
    long? completed_at);

[SuppressMessage("Style", "IDE1006:Naming Styles", Justification = "Columns keep their schema names.")]
internal sealed record AttemptRow(long attempt, long started_at, long duration_ms, string outcome, long? status_code, string? message, string? response_excerpt);
