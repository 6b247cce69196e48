using System.Diagnostics.CodeAnalysis;
using FieldOps.Integration.Core.Operations;

namespace FieldOps.Integration.Storage.Operations;

// Dapper row shapes: column names as in the schema. Classes with setters, not positional records: Dapper then converts
// the providers' integer widths (PostgreSQL INTEGER is Int32) and copes with SQLite's untyped empty aggregates.
[SuppressMessage("Style", "IDE1006:Naming Styles", Justification = "Columns keep their schema names.")]
internal sealed class DeadRow
{
    public string id { get; set; } = "";
    public long seq { get; set; }
    public long inbox_event_id { get; set; }
    public string flow { get; set; } = "";
    public string operation_key { get; set; } = "";
    public string connector { get; set; } = "";
    public string operation { get; set; } = "";
    public string object_type { get; set; } = "";
    public string partition_key { get; set; } = "";
    public string? dead_class { get; set; }
    public string? dead_reason { get; set; }
    public long attempts { get; set; }
    public long? completed_at { get; set; }
    public string? source_file { get; set; }

    public DeadLetter ToDeadLetter() => new(id, seq, inbox_event_id, flow, operation_key, connector, operation, object_type, partition_key,
        dead_class, dead_reason, (int)attempts, Time.From(completed_at), source_file);
}

[SuppressMessage("Style", "IDE1006:Naming Styles", Justification = "Columns keep their schema names.")]
internal sealed class GroupRow
{
    public string connector { get; set; } = "";
    public string flow { get; set; } = "";
    public string? dead_class { get; set; }
    public long n { get; set; }
    public long? first_at { get; set; }
    public long? last_at { get; set; }

    public DeadLetterGroup ToGroup() => new(connector, flow, dead_class, n, Time.From(first_at), Time.From(last_at));
}

[SuppressMessage("Style", "IDE1006:Naming Styles", Justification = "Columns keep their schema names.")]
internal sealed class FullRow
{
    public string id { get; set; } = "";
    public long seq { get; set; }
    public long inbox_event_id { get; set; }
    public string flow { get; set; } = "";
    public string operation_key { get; set; } = "";
    public string mapping_revision { get; set; } = "";
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
    public long? completed_at { get; set; }
    public string? last_outcome { get; set; }
    public string? last_error { get; set; }
    public string? dead_reason { get; set; }
    public string? target_id { get; set; }
    public long? lease_until { get; set; }
    public string? replay_of { get; set; }
    public string? trace_parent { get; set; }

    public OperationRow ToRow(DateTimeOffset now) => new()
    {
        Id = id,
        Seq = seq,
        InboxEventId = inbox_event_id,
        Flow = flow,
        OperationKey = operation_key,
        MappingRevision = mapping_revision,
        Connector = connector,
        Connection = connection,
        Operation = operation,
        ObjectType = object_type,
        IdempotencyKey = idempotency_key,
        PartitionKey = partition_key,
        Payload = payload,
        XrefSourceId = xref_source_id,
        SourceFile = source_file,
        State = state,
        Attempts = (int)attempts,
        CreatedAt = DateTimeOffset.FromUnixTimeMilliseconds(created_at),
        CompletedAt = Time.From(completed_at),
        LastOutcome = last_outcome,
        LastError = last_error,
        DeadReason = dead_reason,
        TargetId = target_id,
        IsLeased = lease_until is { } until && until >= now.ToUnixTimeMilliseconds(),
        ReplayOf = replay_of,
        TraceParent = trace_parent,
    };
}

[SuppressMessage("Style", "IDE1006:Naming Styles", Justification = "Columns keep their schema names.")]
internal sealed class ActionRow
{
    public string outbox_id { get; set; } = "";
    public string action { get; set; } = "";
    public long at { get; set; }
    public string previous_state { get; set; } = "";
    public string? previous_reason { get; set; }
    public long attempts_before { get; set; }
    public string? note { get; set; }
    public string? related_id { get; set; }

    public OperationAction ToAction() => new(outbox_id, action, DateTimeOffset.FromUnixTimeMilliseconds(at), previous_state, previous_reason,
        (int)attempts_before, note, related_id);
}

[SuppressMessage("Style", "IDE1006:Naming Styles", Justification = "Columns keep their schema names.")]
internal sealed class AttemptEntryRow
{
    public string outbox_id { get; set; } = "";
    public long attempt { get; set; }
    public long started_at { get; set; }
    public long duration_ms { get; set; }
    public string outcome { get; set; } = "";
    public long? status_code { get; set; }
    public string? message { get; set; }
    public string? response_excerpt { get; set; }
    public string? instance { get; set; }
}

[SuppressMessage("Style", "IDE1006:Naming Styles", Justification = "Columns keep their schema names.")]
internal sealed class BacklogRow
{
    public string connector { get; set; } = "";
    public long pending { get; set; }
    public long? oldest { get; set; }
}

[SuppressMessage("Style", "IDE1006:Naming Styles", Justification = "Columns keep their schema names.")]
internal sealed class HeldRow
{
    public string connector { get; set; } = "";
    public string state { get; set; } = "";
    public long n { get; set; }
}

[SuppressMessage("Style", "IDE1006:Naming Styles", Justification = "Columns keep their schema names.")]
internal sealed class TokenRow
{
    public string connection { get; set; } = "";
    public long? expires_at { get; set; }
    public string? broken_reason { get; set; }
}

internal static class Time
{
    public static DateTimeOffset? From(long? milliseconds) => milliseconds is { } ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null;
}

[SuppressMessage("Style", "IDE1006:Naming Styles", Justification = "Columns keep their schema names.")]
internal sealed class ThroughputRow
{
    public string connector { get; set; } = "";
    public long slice { get; set; }
    public long delivered { get; set; }
    public long failed { get; set; }
}

[SuppressMessage("Style", "IDE1006:Naming Styles", Justification = "Columns keep their schema names.")]
internal sealed class IntakeRow
{
    public string source { get; set; } = "";
    public long n { get; set; }
    public long? last_at { get; set; }
}
