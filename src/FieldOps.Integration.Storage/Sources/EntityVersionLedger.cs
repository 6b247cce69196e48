using FieldOps.Integration.Storage.Dialects;

namespace FieldOps.Integration.Storage.Sources;

/// <summary>
/// The per-entity version ledger, used inside the caller's write transaction: an older version than the newest accepted
/// is stale; the same (entity, version, topic) again is a duplicate (a poll and a webhook of one change). One ledger
/// serves one transaction: its statements are prepared on first use and run again for each entity.
/// </summary>
internal sealed class EntityVersionLedger(SqlDialect dialect, TransactionCommands commands)
{
    public enum Verdict { Accept, Stale, Duplicate }

    private const string NewestSql =
        "SELECT MAX(source_version) FROM entity_version WHERE source = @source AND entity_type = @entityType AND entity_id = @entityId";

    private const string SameVersionSql =
        "SELECT inbox_event_id FROM entity_version WHERE source = @source AND entity_type = @entityType AND entity_id = @entityId " +
        "AND source_version = @version AND topic = @topic";

    private const string IsRecordedSql = "SELECT MIN(inbox_event_id) FROM entity_version WHERE inbox_event_id = @inboxEventId AND source = @source";

    private string? _recordSql;

    public async Task<(Verdict Verdict, string? Reason)> CheckAsync(string source, string entityType, string entityId, DateTimeOffset? version, string topic)
    {
        if (version is null)
            return (Verdict.Accept, null);
        var ms = version.Value.ToUnixTimeMilliseconds();
        var newest = await commands.ScalarAsync(NewestSql, CancellationToken.None,
            ("@source", source), ("@entityType", entityType), ("@entityId", entityId)).ConfigureAwait(false);
        if (newest is { } n && ms < n)
        {
            return (Verdict.Stale,
                $"stale: {entityType} {entityId} version {version.Value.UtcDateTime:O} is older than {DateTimeOffset.FromUnixTimeMilliseconds(n).UtcDateTime:O}, already accepted");
        }
        var first = await commands.ScalarAsync(SameVersionSql, CancellationToken.None,
            ("@source", source), ("@entityType", entityType), ("@entityId", entityId), ("@version", ms), ("@topic", topic)).ConfigureAwait(false);
        return first is { } id
            ? (Verdict.Duplicate, $"duplicate of inbox event {id}: same {entityType} {entityId} version {version.Value.UtcDateTime:O} ({topic})")
            : (Verdict.Accept, null);
    }

    /// <summary>True when the ledger already holds a version accepted for this inbox event (hydrated, polled or routed).</summary>
    public async Task<bool> IsRecordedAsync(string source, long inboxEventId) =>
        await commands.ScalarAsync(IsRecordedSql, CancellationToken.None, ("@inboxEventId", inboxEventId), ("@source", source)).ConfigureAwait(false) is not null;

    public Task RecordAsync(string source, string entityType, string entityId, DateTimeOffset? version, string topic, long inboxEventId, long now)
    {
        if (version is null)
            return Task.CompletedTask;
        _recordSql ??= dialect.InsertIfAbsent("entity_version",
            ["source", "entity_type", "entity_id", "source_version", "topic", "inbox_event_id", "recorded_at"],
            ["@source", "@entityType", "@entityId", "@version", "@topic", "@inboxEventId", "@now"],
            ["source", "entity_type", "entity_id", "source_version", "topic"]);
        return commands.ExecuteAsync(_recordSql, CancellationToken.None,
            ("@source", source), ("@entityType", entityType), ("@entityId", entityId), ("@version", version.Value.ToUnixTimeMilliseconds()),
            ("@topic", topic), ("@inboxEventId", inboxEventId), ("@now", now));
    }
}
