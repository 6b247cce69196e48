using FieldOps.Integration.Storage.Dialects;
using FieldOps.Integration.Storage.Inbox;

namespace FieldOps.Integration.Storage.Sources;

/// <summary>
/// The shared hydration statements, written once; the claim and the lists take their grammar from the dialect. An
/// event awaiting hydration is registered under its entity (<c>inbox.hydration_key</c>); the entity row holds the
/// coalescing window and the lease, so the claim is per entity and a burst is fetched once by one process.
/// </summary>
internal sealed class HydrationSql(SqlDialect dialect)
{
    // Not registered, or registered under an entity whose row is gone (healed: registered again).
    private const string Unregistered =
        "(hydration_key IS NULL OR NOT EXISTS (SELECT 1 FROM hydration_entity h WHERE h.entity_key = inbox.hydration_key))";

    public string ListUnregistered { get; } =
        $"SELECT {InboxRow.Columns} FROM inbox WHERE state = @awaiting AND {dialect.InList("LOWER(source)", "@sources")} AND {Unregistered} " +
        $"ORDER BY id {dialect.Limit("@limit")}";

    public const string Register =
        $"UPDATE inbox SET hydration_key = @key, hydration_seen_at = @now WHERE id = @id AND state = @awaiting AND {Unregistered}";

    /// <summary>
    /// A new entity is due one debounce after its event; an existing one one debounce after its newest event, at most
    /// the maximum delay after its first — unless it waits out a retry, which a new event does not shorten.
    /// </summary>
    public string Join { get; } = dialect.UpsertSet("hydration_entity",
        ["entity_key", "source", "entity_type", "entity_id", "first_seen_at", "due_at"],
        ["@key", "@source", "@type", "@entityId", "@now", "@due"], ["entity_key"],
        "due_at = CASE WHEN hydration_entity.retry_at IS NOT NULL THEN hydration_entity.retry_at " +
        "WHEN hydration_entity.first_seen_at + @maxDelay < @due THEN hydration_entity.first_seen_at + @maxDelay " +
        "ELSE @due END");

    /// <summary>Leases up to <c>@Max</c> due entities of <c>@Sources</c> whose source is not paused.</summary>
    public string Claim { get; } = dialect.ClaimRows("hydration_entity", "h",
        $"h.due_at <= @Now AND (h.lease_until IS NULL OR h.lease_until < @Now) AND {dialect.InList("LOWER(h.source)", "@Sources")} " +
        "AND NOT EXISTS (SELECT 1 FROM source_watermark w WHERE w.source = h.source AND w.hydration_paused_until > @Now)",
        "h.due_at", "@Max", "lease_owner = @Owner, lease_until = @Until",
        ["entity_key AS EntityKey", "source AS Source", "entity_type AS EntityType", "entity_id AS EntityId"]);

    public string ListEvents { get; } =
        $"SELECT {InboxRow.Columns} FROM inbox WHERE hydration_key = @key AND state = @awaiting ORDER BY id";

    public const string ListAttempts = "SELECT id, hydration_attempts FROM inbox WHERE hydration_key = @key AND state = @awaiting";

    public string CountAttempt { get; } =
        $"UPDATE inbox SET hydration_attempts = hydration_attempts + 1 WHERE {dialect.InList("id", "@ids")} AND state = @awaiting";

    public const string Unmatch = "UPDATE inbox SET state = @unmatched, state_reason = @reason WHERE id = @id AND state = @awaiting";

    public const string Waiting =
        "SELECT MIN(hydration_seen_at), MAX(hydration_seen_at), COUNT(*) FROM inbox WHERE hydration_key = @key AND state = @awaiting";

    public const string Retry =
        "UPDATE hydration_entity SET lease_owner = NULL, lease_until = NULL, retry_at = @retry, due_at = @retry " +
        "WHERE entity_key = @key AND lease_owner = @owner";

    /// <summary>Events registered during the fetch wait for their own window, as a new burst.</summary>
    public const string Reopen =
        "UPDATE hydration_entity SET lease_owner = NULL, lease_until = NULL, retry_at = NULL, first_seen_at = @first, due_at = @due " +
        "WHERE entity_key = @key AND lease_owner = @owner";

    public const string Drop = "DELETE FROM hydration_entity WHERE entity_key = @key AND (lease_owner IS NULL OR lease_owner = @owner)";

    public string Renew { get; } =
        $"UPDATE hydration_entity SET lease_until = @Until WHERE lease_owner = @Owner AND lease_until >= @Now AND {dialect.InList("entity_key", "@Keys")}";

    public const string ReleaseAll = "UPDATE hydration_entity SET lease_owner = NULL, lease_until = NULL WHERE lease_owner = @Owner";

    public const string Pause =
        "UPDATE source_watermark SET hydration_paused_until = CASE WHEN hydration_paused_until > @until THEN hydration_paused_until ELSE @until END " +
        "WHERE source = @source";

    public const string GetPause = "SELECT hydration_paused_until FROM source_watermark WHERE source = @source";
}
