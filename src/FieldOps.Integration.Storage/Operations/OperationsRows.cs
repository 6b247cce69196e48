using System.Diagnostics.CodeAnalysis;
using FieldOps.Integration.Core.Operations;

namespace FieldOps.Integration.Storage.Operations;

// Dapper row shapes: column names as in the schema, integers as long (SQLite and PostgreSQL agree on that).
[SuppressMessage("Style", "IDE1006:Naming Styles", Justification = "Columns keep their schema names.")]
internal sealed record DeadRow(
    string id, long seq, long inbox_event_id, string flow, string operation_key, string connector, string operation, string object_type,
    string partition_key, string? dead_class, string? dead_reason, long attempts, long? completed_at, string? source_file)
{
    public DeadLetter ToDeadLetter() => new(id, seq, inbox_event_id, flow, operation_key, connector, operation, object_type, partition_key,
        dead_class, dead_reason, (int)attempts, Time.From(completed_at), source_file);
}

[SuppressMessage("Style", "IDE1006:Naming Styles", Justification = "Columns keep their schema names.")]
internal sealed class GroupRow
{
    // Aggregates: a class with setters, since SQLite reports no column types for an empty aggregate result.
    public string connector { get; set; } = "";
    public string flow { get; set; } = "";
    public string? dead_class { get; set; }
    public long n { get; set; }
    public long? first_at { get; set; }
    public long? last_at { get; set; }

    public DeadLetterGroup ToGroup() => new(connector, flow, dead_class, n, Time.From(first_at), Time.From(last_at));
}

[SuppressMessage("Style", "IDE1006:Naming Styles", Justification = "Columns keep their schema names.")]
internal sealed record FullRow(
    string id, long seq, long inbox_event_id, string flow, string operation_key, string mapping_revision, string connector, string connection,
    string operation, string object_type, string idempotency_key, string partition_key, string payload, string? xref_source_id,
    string? source_file, string state, long attempts, long created_at, long? completed_at, string? last_outcome, string? last_error,
    string? dead_reason, string? target_id, long? lease_until, string? replay_of)
{
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
    };
}

[SuppressMessage("Style", "IDE1006:Naming Styles", Justification = "Columns keep their schema names.")]
internal sealed record ActionRow(
    string outbox_id, string action, long at, string previous_state, string? previous_reason, long attempts_before, string? note, string? related_id)
{
    public OperationAction ToAction() => new(outbox_id, action, DateTimeOffset.FromUnixTimeMilliseconds(at), previous_state, previous_reason,
        (int)attempts_before, note, related_id);
}

[SuppressMessage("Style", "IDE1006:Naming Styles", Justification = "Columns keep their schema names.")]
internal sealed record AttemptEntryRow(
    string outbox_id, long attempt, long started_at, long duration_ms, string outcome, long? status_code, string? message, string? response_excerpt);

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
    public string? dead_class { get; set; }
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
