using System.Data.Common;
using Dapper;
using FieldOps.Integration.Storage.Dialects;

namespace FieldOps.Integration.Storage.Sources;

/// <summary>
/// The per-entity version ledger, used inside the caller's transaction: an older version than the newest accepted
/// is stale; the same (entity, version, topic) again is a duplicate (a poll and a webhook of one change).
/// </summary>
internal static class EntityVersionLedger
{
    public enum Verdict { Accept, Stale, Duplicate }

    public static async Task<(Verdict Verdict, string? Reason)> CheckAsync(
        DbConnection connection, DbTransaction transaction, string source, string entityType, string entityId, DateTimeOffset? version, string topic)
    {
        if (version is null)
            return (Verdict.Accept, null);
        var ms = version.Value.ToUnixTimeMilliseconds();
        var args = new { source, entityType, entityId, version = ms, topic };
        var newest = await connection.ExecuteScalarAsync<long?>(
            "SELECT MAX(source_version) FROM entity_version WHERE source = @source AND entity_type = @entityType AND entity_id = @entityId",
            args, transaction).ConfigureAwait(false);
        if (newest is { } n && ms < n)
        {
            return (Verdict.Stale,
                $"stale: {entityType} {entityId} version {version.Value.UtcDateTime:O} is older than {DateTimeOffset.FromUnixTimeMilliseconds(n).UtcDateTime:O}, already accepted");
        }
        var first = await connection.ExecuteScalarAsync<long?>(
            "SELECT inbox_event_id FROM entity_version WHERE source = @source AND entity_type = @entityType AND entity_id = @entityId " +
            "AND source_version = @version AND topic = @topic", args, transaction).ConfigureAwait(false);
        return first is { } id
            ? (Verdict.Duplicate, $"duplicate of inbox event {id}: same {entityType} {entityId} version {version.Value.UtcDateTime:O} ({topic})")
            : (Verdict.Accept, null);
    }

    /// <summary>True when the ledger already holds a version accepted for this inbox event (hydrated, polled or routed).</summary>
    public static async Task<bool> IsRecordedAsync(DbConnection connection, DbTransaction transaction, string source, long inboxEventId) =>
        await connection.ExecuteScalarAsync<long?>(
            "SELECT MIN(inbox_event_id) FROM entity_version WHERE inbox_event_id = @inboxEventId AND source = @source",
            new { inboxEventId, source }, transaction).ConfigureAwait(false) is not null;

    public static Task RecordAsync(
        SqlDialect dialect, DbConnection connection, DbTransaction transaction, string source, string entityType, string entityId, DateTimeOffset? version, string topic,
        long inboxEventId, long now)
    {
        if (version is null)
            return Task.CompletedTask;
        return connection.ExecuteAsync(dialect.InsertIfAbsent("entity_version",
                ["source", "entity_type", "entity_id", "source_version", "topic", "inbox_event_id", "recorded_at"],
                ["@source", "@entityType", "@entityId", "@version", "@topic", "@inboxEventId", "@now"],
                ["source", "entity_type", "entity_id", "source_version", "topic"]),
            new { source, entityType, entityId, version = version.Value.ToUnixTimeMilliseconds(), topic, inboxEventId, now }, transaction);
    }
}
