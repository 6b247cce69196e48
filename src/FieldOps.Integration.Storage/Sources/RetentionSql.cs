using FieldOps.Integration.Storage.Dialects;

namespace FieldOps.Integration.Storage.Sources;

/// <summary>
/// Retention statements, written once (the batch limit is the dialect's). Each deletes at most one batch, so it holds the write
/// lock briefly; the store repeats it until nothing is left. Dead letters (<c>dead</c>, <c>blocked</c>) and parked or
/// unmatched inbox events are never selected: they stay until an admin handles them.
/// </summary>
internal sealed class RetentionSql(SqlDialect dialect)
{
    private const string Finished = "('delivered', 'discarded')";

    public string Attempts { get; } =
        "DELETE FROM outbox_attempt WHERE id IN (SELECT a.id FROM outbox_attempt a JOIN outbox o ON o.id = a.outbox_id " +
        $"WHERE o.state IN {Finished} AND a.started_at < @attempts {dialect.LimitUnordered("@batch")})";

    // Attempts go with their row (the foreign key), whatever the attempt retention.
    public string OutboxAttempts { get; } =
        "DELETE FROM outbox_attempt WHERE outbox_id IN (SELECT id FROM outbox " +
        $"WHERE state IN {Finished} AND completed_at < @outbox {dialect.LimitUnordered("@batch")})";

    public string Outbox { get; } =
        $"DELETE FROM outbox WHERE id IN (SELECT o.id FROM outbox o WHERE o.state IN {Finished} AND o.completed_at < @outbox " +
        $"AND NOT EXISTS (SELECT 1 FROM outbox_attempt a WHERE a.outbox_id = o.id) {dialect.LimitUnordered("@batch")})";

    // An event goes only once no outbox row refers to it: its rows were delivered (and pruned) or it made none.
    public string Inbox { get; } =
        "DELETE FROM inbox WHERE id IN (SELECT i.id FROM inbox i WHERE i.state IN ('routed', 'stale') AND i.routed_at < @inbox " +
        $"AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.inbox_event_id = i.id) {dialect.LimitUnordered("@batch")})";

    // Enrich answers go with their event.
    public const string Enrichments =
        "DELETE FROM event_enrichment WHERE NOT EXISTS (SELECT 1 FROM inbox i WHERE i.id = event_enrichment.inbox_event_id)";

    // A failed-read count goes with its event.
    public const string EnrichmentRetries =
        "DELETE FROM enrichment_retry WHERE NOT EXISTS (SELECT 1 FROM inbox i WHERE i.id = enrichment_retry.inbox_event_id)";

    // The newest version of each entity is kept, so a late older version is still recognised as stale.
    public const string EntityVersions =
        "DELETE FROM entity_version WHERE recorded_at < @versions AND source_version < (SELECT MAX(e.source_version) FROM entity_version e " +
        "WHERE e.source = entity_version.source AND e.entity_type = entity_version.entity_type AND e.entity_id = entity_version.entity_id)";
}
