using System.Data.Common;
using FieldOps.Integration.Storage.Dialects;

namespace FieldOps.Integration.Storage.Sources;

/// <summary>
/// The per-entity version ledger, used inside the caller's write transaction: an older version than the newest accepted
/// is stale; the same (entity, version, topic) again is a duplicate (a poll and a webhook of one change). One ledger
/// serves one transaction: its statements are prepared on first use and run again for each entity.
/// </summary>
internal sealed class EntityVersionLedger(SqlDialect dialect, TransactionCommands commands)
{
    /// <summary>
    /// What the ledger says of a version: accept it (and record it), stale or duplicate (keep the event as stale), or
    /// already recorded for this very event (checked before, by the hydrator, the poll or an earlier routing: accept
    /// without checking it against itself or recording it again).
    /// </summary>
    public enum Verdict { Accept, Stale, Duplicate, Recorded }

    // Whether this event has a version recorded, the newest version accepted for the entity and the event that accepted
    // this same one, read together: one statement instead of three (issue 15: the router ran seven statements per event).
    // Without an event (@inboxEventId NULL) the first is always NULL.
    private const string CheckSql =
        "SELECT (SELECT MIN(inbox_event_id) FROM entity_version WHERE inbox_event_id = @inboxEventId AND source = @source), " +
        "(SELECT MAX(source_version) FROM entity_version WHERE source = @source AND entity_type = @entityType AND entity_id = @entityId), " +
        "(SELECT inbox_event_id FROM entity_version WHERE source = @source AND entity_type = @entityType AND entity_id = @entityId " +
        "AND source_version = @version AND topic = @topic)";

    private string? _recordSql;

    /// <summary>
    /// Stale, duplicate or accept: the version against the newest accepted and the ones seen. Given the inbox event the
    /// version came with (the router), <see cref="Verdict.Recorded"/> when the ledger holds a version for that event
    /// already (hydrated, polled or routed before under its id and source).
    /// </summary>
    public async Task<(Verdict Verdict, string? Reason)> CheckAsync(
        string source, string entityType, string entityId, DateTimeOffset? version, string topic, long? inboxEventId = null)
    {
        if (version is null)
            return (Verdict.Accept, null); // nothing to check, nothing to record
        var row = await commands.Int64RowAsync(CheckSql, CancellationToken.None,
            CheckValues(source, entityType, entityId, version.Value, topic, inboxEventId)).ConfigureAwait(false);
        return JudgeRow(row, entityType, entityId, version.Value, topic);
    }

    /// <summary>
    /// <see cref="CheckAsync"/>'s statement added to <paramref name="batch"/>; its one row, read as whole numbers, goes to
    /// <see cref="JudgeRow"/>.
    /// </summary>
    public static void AddCheck(DbBatch batch, string source, string entityType, string entityId, DateTimeOffset version, string topic, long inboxEventId) =>
        batch.AddStatement(CheckSql, CheckValues(source, entityType, entityId, version, topic, inboxEventId));

    private static (string Name, object? Value)[] CheckValues(
        string source, string entityType, string entityId, DateTimeOffset version, string topic, long? inboxEventId) =>
        [("@inboxEventId", inboxEventId), ("@source", source), ("@entityType", entityType), ("@entityId", entityId),
            ("@version", version.ToUnixTimeMilliseconds()), ("@topic", topic)];

    /// <summary>What the check's row (recorded for this event, newest accepted, the event of this same version) says.</summary>
    public static (Verdict Verdict, string? Reason) JudgeRow(long?[] row, string entityType, string entityId, DateTimeOffset version, string topic)
    {
        ArgumentNullException.ThrowIfNull(row);
        return row[0] is not null ? (Verdict.Recorded, null) : Judge(entityType, entityId, version, topic, row[1], row[2]);
    }

    private static (Verdict Verdict, string? Reason) Judge(string entityType, string entityId, DateTimeOffset version, string topic, long? newest, long? sameVersionEvent)
    {
        if (newest is { } n && version.ToUnixTimeMilliseconds() < n)
        {
            return (Verdict.Stale,
                $"stale: {entityType} {entityId} version {version.UtcDateTime:O} is older than {DateTimeOffset.FromUnixTimeMilliseconds(n).UtcDateTime:O}, already accepted");
        }
        return sameVersionEvent is { } id
            ? (Verdict.Duplicate, $"duplicate of inbox event {id}: same {entityType} {entityId} version {version.UtcDateTime:O} ({topic})")
            : (Verdict.Accept, null);
    }

    public Task RecordAsync(string source, string entityType, string entityId, DateTimeOffset? version, string topic, long inboxEventId, long now)
    {
        if (version is null)
            return Task.CompletedTask;
        return commands.ExecuteAsync(RecordSql, CancellationToken.None, RecordValues(source, entityType, entityId, version.Value, topic, inboxEventId, now));
    }

    /// <summary><see cref="RecordAsync"/>'s statement added to <paramref name="batch"/>.</summary>
    public void AddRecord(DbBatch batch, string source, string entityType, string entityId, DateTimeOffset version, string topic, long inboxEventId, long now) =>
        batch.AddStatement(RecordSql, RecordValues(source, entityType, entityId, version, topic, inboxEventId, now));

    private static (string Name, object? Value)[] RecordValues(
        string source, string entityType, string entityId, DateTimeOffset version, string topic, long inboxEventId, long now) =>
        [("@source", source), ("@entityType", entityType), ("@entityId", entityId), ("@version", version.ToUnixTimeMilliseconds()),
            ("@topic", topic), ("@inboxEventId", inboxEventId), ("@now", now)];

    private string RecordSql => _recordSql ??= dialect.InsertIfAbsent("entity_version",
        ["source", "entity_type", "entity_id", "source_version", "topic", "inbox_event_id", "recorded_at"],
        ["@source", "@entityType", "@entityId", "@version", "@topic", "@inboxEventId", "@now"],
        ["source", "entity_type", "entity_id", "source_version", "topic"]);
}
